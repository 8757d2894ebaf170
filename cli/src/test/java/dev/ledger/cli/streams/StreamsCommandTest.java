package dev.ledger.cli.streams;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ledger.cli.CliHarness;
import org.junit.jupiter.api.Test;

class StreamsCommandTest {
  private final CliHarness cli = new CliHarness();

  private int run(String... args) {
    return cli.run(args);
  }

  @Test
  void helpExplainsTheCommandAndItsOptions() {
    assertThat(run("streams", "--help")).isZero();
    assertThat(cli.out()).contains("Kafka Streams app", "--kafka-bootstrap", "--application-id",
        "--data-dir", "--instance", "exactly once");
  }

  @Test
  void theRootHelpListsIt() {
    assertThat(run("--help")).isZero();
    assertThat(cli.out()).contains("streams");
  }

  @Test
  void aBadInstanceNameIsBadInput() {
    assertThat(run("streams", "--instance", "a/b")).isEqualTo(2);
    assertThat(cli.err()).contains("--instance");
  }

  @Test
  void aBadApplicationIdIsBadInput() {
    assertThat(run("streams", "--application-id", "no spaces")).isEqualTo(2);
    assertThat(cli.err()).contains("application id");
  }

  @Test
  void aSessionTimeoutBelowTheBrokersMinimumIsBadInput() {
    assertThat(run("streams", "--session-timeout-ms", "100")).isEqualTo(2);
    assertThat(cli.err()).contains("session timeout");
  }
}
