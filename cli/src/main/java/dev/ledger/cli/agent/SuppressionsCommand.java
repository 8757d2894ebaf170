package dev.ledger.cli.agent;

import dev.ledger.bridge.AgentBridge;
import dev.ledger.bridge.Api.Suppression;
import dev.ledger.bridge.Api.SuppressionFilter;
import dev.ledger.bridge.BridgeConfig;
import dev.ledger.bridge.Operator;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ledger agent suppressions list|clear}: an appliance's flap suppressions, read from its data directory.
 * Clear with the bridge stopped (it writes the database and queues the cleared event for the next relay); for a
 * running bridge use its HTTP API {@code POST /v1/suppressions/clear}.
 */
@Command(name = "suppressions", mixinStandardHelpOptions = true,
    description = "List or clear an appliance's flap suppressions.",
    subcommands = {SuppressionsCommand.List.class, SuppressionsCommand.Clear.class})
final class SuppressionsCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "a subcommand is required: list, clear");
  }

  /** Options shared by list and clear. */
  static class Selection {
    @Option(names = "--data-dir", required = true, paramLabel = "DIR",
        description = "The bridge's data directory (as given to 'ledger agent run').")
    Path dataDir;

    @Option(names = "--site", paramLabel = "SITE_ID", description = "Only this site.")
    String site;

    @Option(names = "--host", paramLabel = "HOST", description = "Only this host.")
    String host;

    @Option(names = "--type", paramLabel = "INCIDENT_TYPE", description = "Only this incident type.")
    String type;

    SuppressionFilter filter() {
      return new SuppressionFilter(site, host, type);
    }
  }

  @Command(name = "list", mixinStandardHelpOptions = true, description = "List active suppressions.")
  static final class List implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;
    @CommandLine.Mixin Selection selection;

    @Override
    public Integer call() {
      print(spec.commandLine().getOut(), Operator.suppressions(selection.dataDir, selection.filter()));
      return 0;
    }
  }

  @Command(name = "clear", mixinStandardHelpOptions = true,
      description = "Clear active suppressions (the bridge must be stopped); each clear is an event.")
  static final class Clear implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;
    @CommandLine.Mixin Selection selection;

    @Option(names = "--by", required = true, paramLabel = "OPERATOR", description = "Who clears them.")
    String by;

    @Option(names = "--reason", paramLabel = "TEXT", description = "Why.")
    String reason;

    @Override
    public Integer call() {
      var active = Operator.suppressions(selection.dataDir, selection.filter());
      if (active.isEmpty()) {
        spec.commandLine().getOut().println("no active suppressions match");
        return 0;
      }
      Operator.Registered owner = Operator.registered(selection.dataDir);
      BridgeConfig config =
          BridgeConfig.of(owner.siteId(), owner.applianceId(), selection.dataDir, null).withHttpPort(-1);
      try (AgentBridge bridge = AgentBridge.start(config)) {
        int cleared = bridge.clearSuppressions(selection.filter(), by, reason).join();
        spec.commandLine().getOut().printf("cleared %d suppression(s); the events will be relayed when the bridge"
            + " runs%n", cleared);
      }
      return 0;
    }
  }

  static void print(PrintWriter out, java.util.List<Suppression> list) {
    if (list.isEmpty()) {
      out.println("no active suppressions");
      return;
    }
    out.printf("%-16s %-20s %-28s %5s  %-27s%n", "SITE", "HOST", "TYPE", "HEALS", "SUPPRESSED AT");
    for (Suppression s : list) {
      out.printf("%-16s %-20s %-28s %5d  %-27s%n", s.siteId(), s.hostId(), s.incidentType(), s.healCount(),
          s.suppressedAt());
    }
  }
}
