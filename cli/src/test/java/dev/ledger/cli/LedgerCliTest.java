package dev.ledger.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Usage errors are messages with exit code 2; help is always there. */
class LedgerCliTest {
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    CommandLine cli = LedgerCli.commandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    return cli.execute(args);
  }

  @Test
  void helpListsTheCommands() {
    assertThat(run("--help")).isZero();
    assertThat(out.toString()).contains("dev", "migrate", "topics", "bench", "Exit codes");
  }

  @Test
  void everyCommandExplainsItself() {
    for (String command : new String[] {"dev", "migrate", "topics", "bench"}) {
      out.getBuffer().setLength(0);
      assertThat(run(command, "--help")).as(command).isZero();
      assertThat(out.toString()).as(command).contains("Usage: ledger " + command);
    }
  }

  @Test
  void unknownCommandIsAUsageError() {
    assertThat(run("frobnicate")).isEqualTo(2);
    assertThat(err.toString()).contains("frobnicate");
  }

  @Test
  void unknownFlagIsAUsageError() {
    assertThat(run("dev", "--no-such-flag")).isEqualTo(2);
    assertThat(err.toString()).contains("--no-such-flag");
  }

  @Test
  void noCommandIsAUsageError() {
    assertThat(run()).isEqualTo(2);
    assertThat(err.toString()).contains("a command is required");
  }

  @Test
  void outOfRangePortIsBadInputNamingTheOption() {
    assertThat(run("dev", "--api-port", "70000")).isEqualTo(2);
    assertThat(err.toString()).contains("--api-port").contains("70000");
  }

  @Test
  void nonPostgresJdbcUrlIsBadInput() {
    assertThat(run("migrate", "--jdbc-url", "jdbc:mysql://localhost/x")).isEqualTo(2);
    assertThat(err.toString()).contains("--jdbc-url must start with jdbc:postgresql:");
  }

  @Test
  void unknownBenchScenarioIsBadInput() {
    assertThat(run("bench", "--only", "nope")).isEqualTo(2);
    assertThat(err.toString()).contains("unknown scenario 'nope'");
  }

  @Test
  void malformedNumberIsAUsageError() {
    assertThat(run("dev", "--kafka-port", "ninety")).isEqualTo(2);
    assertThat(err.toString()).contains("--kafka-port");
  }
}
