package dev.ledger.cli.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ledger.bridge.AgentBridge;
import dev.ledger.bridge.Api;
import dev.ledger.bridge.BridgeConfig;
import dev.ledger.cli.LedgerCli;
import dev.ledger.events.ResolutionLevel;
import dev.ledger.events.ResolutionOutcome;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code ledger agent suppressions list|clear} on a real agent database. */
class SuppressionsCommandIT {
  @TempDir Path dir;

  @Test
  void listsAndClearsAFlapSuppression() {
    try (AgentBridge bridge = AgentBridge.start(BridgeConfig.of("site-c", "app-c", dir, null).withHttpPort(-1))) {
      for (int i = 0; i < 3; i++) {
        String id = bridge.recordIncident(new Api.NewIncident("site-c", "ws-flap", "av_stopped", "high", null, null,
            null, null, null, null)).join().incidentId();
        bridge.recordResolution(new Api.Resolution(id, ResolutionLevel.L1, "restart", ResolutionOutcome.SUCCESS, 10,
            null)).join();
      }
    }
    Run list = run("agent", "suppressions", "list", "--data-dir", dir.toString());
    assertThat(list.code()).isZero();
    assertThat(list.out()).contains("ws-flap").contains("av_stopped");
    Run clear = run("agent", "suppressions", "clear", "--data-dir", dir.toString(), "--host", "ws-flap",
        "--by", "ops@clinic", "--reason", "replaced AV");
    assertThat(clear.code()).isZero();
    assertThat(clear.out()).contains("cleared 1");
    assertThat(run("agent", "suppressions", "list", "--data-dir", dir.toString()).out())
        .contains("no active suppressions");
  }

  @Test
  void aMissingDatabaseIsBadInput() {
    Run r = run("agent", "suppressions", "list", "--data-dir", dir.resolve("nope").toString());
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("no agent database");
  }

  record Run(int code, String out, String err) {
  }

  static Run run(String... args) {
    CommandLine cli = LedgerCli.commandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    int code = cli.execute(args);
    return new Run(code, out.toString(), err.toString());
  }
}
