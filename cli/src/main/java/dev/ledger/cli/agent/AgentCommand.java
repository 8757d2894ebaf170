package dev.ledger.cli.agent;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code ledger agent}: run an appliance's agent bridge, operate its suppressions, simulate a fleet. */
@Command(name = "agent", mixinStandardHelpOptions = true,
    description = "The appliance side: run an agent bridge, manage flap suppressions, simulate appliances.",
    subcommands = {AgentRunCommand.class, SuppressionsCommand.class, SimulateCommand.class})
public final class AgentCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "a subcommand is required: run, suppressions,"
        + " simulate");
  }
}
