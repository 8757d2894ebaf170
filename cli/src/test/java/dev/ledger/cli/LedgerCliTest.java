package dev.ledger.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

/** Usage errors are messages with exit code 2; help is always there. */
class LedgerCliTest {
  private final CliHarness cli = new CliHarness();

  private int run(String... args) {
    return cli.run(args);
  }

  @Test
  void helpListsTheCommands() {
    assertThat(run("--help")).isZero();
    assertThat(cli.out()).contains("dev", "migrate", "topics", "bench", "Exit codes");
  }

  @Test
  void everyCommandExplainsItself() {
    List<String> commands = new ArrayList<>();
    subcommands(LedgerCli.commandLine(), commands);
    assertThat(commands).contains("dev", "migrate", "topics", "bench", "projections generate", "audit verify");
    for (String command : commands) {
      cli.clear();
      assertThat(run((command + " --help").split(" "))).as(command).isZero();
      assertThat(cli.out()).as(command).contains("Usage: ledger " + command);
    }
  }

  /** picocli formats help texts: a bare % is a format error, and the text is then printed with a warning. */
  @Test
  void everyHelpTextIsAValidFormat() {
    List<CommandLine> all = new ArrayList<>();
    all.add(LedgerCli.commandLine());
    for (int i = 0; i < all.size(); i++) {
      CommandSpec spec = all.get(i).getCommandSpec();
      List<String> texts = new ArrayList<>(List.of(spec.usageMessage().description()));
      spec.options().forEach(o -> texts.addAll(List.of(o.description())));
      for (String text : texts) {
        assertThatCode(() -> String.format(text)).as(spec.qualifiedName() + ": " + text).doesNotThrowAnyException();
      }
      all.addAll(all.get(i).getSubcommands().values());
    }
    assertThat(all.size()).isGreaterThan(20);
  }

  private static void subcommands(CommandLine parent, List<String> into) {
    parent.getSubcommands().forEach((name, sub) -> {
      if (sub.getCommandName().equals(name) && !name.equals("help")) {
        into.add(sub.getCommandSpec().qualifiedName(" ").substring("ledger ".length()));
        subcommands(sub, into);
      }
    });
  }

  @Test
  void unknownCommandIsAUsageError() {
    assertThat(run("frobnicate")).isEqualTo(2);
    assertThat(cli.err()).contains("frobnicate");
  }

  @Test
  void unknownFlagIsAUsageError() {
    assertThat(run("dev", "--no-such-flag")).isEqualTo(2);
    assertThat(cli.err()).contains("--no-such-flag");
  }

  @Test
  void noCommandIsAUsageError() {
    assertThat(run()).isEqualTo(2);
    assertThat(cli.err()).contains("a command is required");
  }

  @Test
  void outOfRangePortIsBadInputNamingTheOption() {
    assertThat(run("dev", "--api-port", "70000")).isEqualTo(2);
    assertThat(cli.err()).contains("--api-port").contains("70000");
  }

  @Test
  void apiReadConcurrencyBelowOneIsBadInputNamingTheOption() {
    assertThat(run("dev", "--api-max-reads", "0")).isEqualTo(2);
    assertThat(cli.err()).contains("--api-max-reads must be at least 1, got 0");
  }

  @Test
  void devHelpExplainsTheOrderOfWaitingReads() {
    assertThat(run("dev", "--help")).isZero();
    assertThat(cli.out()).contains("--[no-]api-fair-reads").contains("--no-api-fair-reads:");
  }

  @Test
  void nonPostgresJdbcUrlIsBadInput() {
    assertThat(run("migrate", "--jdbc-url", "jdbc:mysql://localhost/x")).isEqualTo(2);
    assertThat(cli.err()).contains("--jdbc-url must start with jdbc:postgresql:");
  }

  @Test
  void unknownBenchScenarioIsBadInput() {
    assertThat(run("bench", "--only", "nope")).isEqualTo(2);
    assertThat(cli.err()).contains("unknown scenario 'nope'");
  }

  @Test
  void malformedNumberIsAUsageError() {
    assertThat(run("dev", "--kafka-port", "ninety")).isEqualTo(2);
    assertThat(cli.err()).contains("--kafka-port");
  }
}
