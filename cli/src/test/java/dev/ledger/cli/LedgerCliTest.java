package dev.ledger.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

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
    for (String command : new String[] {"dev", "migrate", "topics", "bench"}) {
      cli.clear();
      assertThat(run(command, "--help")).as(command).isZero();
      assertThat(cli.out()).as(command).contains("Usage: ledger " + command);
    }
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
