package dev.ledger.bridge;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ledger.events.CheckStatus;
import dev.ledger.events.EvidenceCheck;
import dev.ledger.testkit.Await;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Outbox and evidence queue relayed to the real broker: every event once or more, signed, keyed by site. */
class RelayIT {
  @TempDir Path dir;

  @Test
  void relaysEverythingAndEmptiesTheQueues() throws Exception {
    String site = "site-relay-" + UUID.randomUUID().toString().substring(0, 8);
    String bootstrap = Broker.bootstrap();
    Set<String> expected = new HashSet<>();
    Instant checkedAt = Instant.parse("2026-03-01T11:59:00Z");
    try (AgentBridge bridge = AgentBridge.start(BridgeConfig.of(site, "app-r", dir, bootstrap).withHttpPort(-1))) {
      List<CompletableFuture<Api.IncidentRecorded>> futures = new java.util.ArrayList<>();
      for (int i = 0; i < 500; i++) {
        futures.add(bridge.recordIncident(AgentBridgeIT.incident(site, "ws-" + i % 7, "t" + i % 3)));
      }
      for (var f : futures) {
        expected.add(f.join().eventId().toString());
      }
      expected.add(bridge.submitEvidence(new Api.EvidenceBundle(site, checkedAt, List.of(
          new EvidenceCheck("bitlocker", CheckStatus.PASS, "ws-1", null, null)))).join().eventId().toString());
      Await.until("queues drained", () -> bridge.queueStatus().equals(new Api.QueueStatus(0, 0, 0)));
      assertThat(bridge.outboxEmpty()).isTrue();
      TopicReader.Seen seen = TopicReader.read(bootstrap, site, expected, bridge.identity().publicKey());
      assertThat(seen.eventIds()).containsAll(expected);
      assertThat(seen.badSignatures()).isZero();
      assertThat(seen.evidenceCheckedAt()).containsOnly(checkedAt);
      assertThat(seen.keys()).containsOnly(site);
    }
  }
}
