package dev.ledger.cli;

import dev.ledger.cli.bench.BenchCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of {@code ./ledger}: wires the subcommands; each command does one job. */
@Command(
    name = "ledger",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    usageHelpAutoWidth = true,
    description = {
        "An event-sourced compliance ledger on Apache Kafka.",
        "",
        "Appliances stream incidents and evidence into Kafka; projectors keep PostgreSQL tables that the API "
            + "serves; auditors replay and verify the evidence history. Start here with 'ledger dev'."
    },
    subcommands = {
        DevCommand.class,
        MigrateCommand.class,
        TopicsCommand.class,
        BenchCommand.class,
        dev.ledger.cli.projections.ProjectionsCommand.class,
        dev.ledger.cli.agent.AgentCommand.class,
        dev.ledger.cli.streams.StreamsCommand.class,
        dev.ledger.cli.partners.PartnersCommand.class,
        dev.ledger.cli.audit.AuditCommand.class,
        CommandLine.HelpCommand.class
    },
    footer = {"", "Exit codes: 0 ok, 1 internal error, 2 bad input or usage, 3 infrastructure unavailable."})
public final class LedgerCli implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  /** The configured command line, shared by {@code main} and the tests. */
  public static CommandLine commandLine() {
    CommandLine cli = new CommandLine(new LedgerCli());
    cli.setExecutionExceptionHandler(new ExitCodes());
    cli.setExitCodeExceptionMapper(new ExitCodes());
    cli.setCaseInsensitiveEnumValuesAllowed(true);
    return cli;
  }

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "a command is required");
  }
}
