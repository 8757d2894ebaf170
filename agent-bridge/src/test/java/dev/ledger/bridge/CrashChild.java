package dev.ledger.bridge;

import dev.ledger.events.CheckStatus;
import dev.ledger.events.EvidenceCheck;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The bridge in its own JVM for the crash tests: records incidents from several threads and an evidence bundle now
 * and then, and prints each acknowledgement ({@code ACK incident_id event_id}, {@code EV event_id checked_at}) only
 * after its future completed, until it is killed. Args: dataDir site appliance bootstrap.
 */
public final class CrashChild {
  private CrashChild() {
  }

  public static void main(String[] args) throws Exception {
    BridgeConfig config = BridgeConfig.of(args[1], args[2], Path.of(args[0]), args[3]).withHttpPort(-1)
        .withEvidenceQueue(100_000, 1_000, java.time.Duration.ofMillis(200));
    AgentBridge bridge = AgentBridge.start(config);
    PrintStream out = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), false, "UTF-8");
    out.println("STARTED");
    out.flush();
    AtomicLong n = new AtomicLong();
    for (int t = 0; t < 16; t++) {
      Thread worker = new Thread(() -> {
        while (true) {
          long i = n.incrementAndGet();
          if (i % 10 == 0) {
            Instant checkedAt = Instant.now().truncatedTo(ChronoUnit.MILLIS).minusSeconds(5);
            var q = bridge.submitEvidence(new Api.EvidenceBundle(args[1], checkedAt, List.of(
                new EvidenceCheck("bitlocker", CheckStatus.PASS, "ws-" + i % 9, null, null)))).join();
            print(out, "EV " + q.eventId() + " " + checkedAt);
          }
          var r = bridge.recordIncident(AgentBridgeIT.incident(args[1], "ws-" + i % 13, "crash_type_" + i % 5))
              .join();
          print(out, "ACK " + r.incidentId() + " " + r.eventId());
        }
      }, "crash-worker-" + t);
      worker.start();
    }
    Thread.currentThread().join();
  }

  private static void print(PrintStream out, String line) {
    synchronized (out) {
      out.println(line);
      out.flush();
    }
  }
}
