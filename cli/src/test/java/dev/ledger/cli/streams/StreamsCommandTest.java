package dev.ledger.cli.streams;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ledger.cli.LedgerCli;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class StreamsCommandTest {
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    CommandLine cli = LedgerCli.commandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    return cli.execute(args);
  }

  @Test
  void helpExplainsTheCommandAndItsOptions() {
    assertThat(run("streams", "--help")).isZero();
    assertThat(out.toString()).contains("Kafka Streams app", "--kafka-bootstrap", "--application-id",
        "--data-dir", "--instance", "exactly once");
  }

  @Test
  void theRootHelpListsIt() {
    assertThat(run("--help")).isZero();
    assertThat(out.toString()).contains("streams");
  }

  @Test
  void aBadInstanceNameIsBadInput() {
    assertThat(run("streams", "--instance", "a/b")).isEqualTo(2);
    assertThat(err.toString()).contains("--instance");
  }

  @Test
  void aBadApplicationIdIsBadInput() {
    assertThat(run("streams", "--application-id", "no spaces")).isEqualTo(2);
    assertThat(err.toString()).contains("application id");
  }
}
