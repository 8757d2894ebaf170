package dev.ledger.bridge;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ledger.embedded.EmbeddedKafka;
import dev.ledger.embedded.Ports;
import dev.ledger.events.CheckStatus;
import dev.ledger.events.EvidenceCheck;
import dev.ledger.events.kafka.TopicAdmin;
import dev.ledger.events.kafka.Topics;
import dev.ledger.testkit.Await;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The broker goes away while evidence and incidents keep flowing: everything waits in SQLite, nothing is refused
 * or dropped, and once the broker is back everything arrives with its original check time.
 */
class BrokerOutageIT {
  @TempDir Path dir;

  @Test
  void evidenceWaitsOutAnOutageAndArrivesWithOriginalTimes() throws Exception {
    int port = Ports.freePort();
    Path kafkaDir = dir.resolve("kafka");
    EmbeddedKafka kafka = EmbeddedKafka.start(kafkaDir, port, "--kafka-port", Duration.ofSeconds(60));
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
      TopicAdmin.ensureTopics(admin, Topics.all(), Duration.ofSeconds(60));
    }
    String bootstrap = kafka.bootstrapServers();
    Map<String, Instant> bundles = new HashMap<>();
    BridgeConfig config = BridgeConfig.of("site-out", "app-out", dir.resolve("bridge"), bootstrap).withHttpPort(-1)
        .withEvidenceQueue(1_000, 50, Duration.ofMillis(100));
    try (AgentBridge bridge = AgentBridge.start(config)) {
      submit(bridge, bundles, 5);
      Await.until("first bundles relayed", () -> bridge.queueStatus().queuedEvidence() == 0);
      kafka.close();
      submit(bridge, bundles, 20);
      for (int i = 0; i < 20; i++) {
        bundles.put(bridge.recordIncident(AgentBridgeIT.incident("site-out", "ws-1", "outage")).join().eventId()
            .toString(), null);
      }
      Await.until("a relay attempt failed", Duration.ofSeconds(60), () -> !bridge.healthy());
      Await.until("evidence backed off", Duration.ofSeconds(90), () -> Db.count(config.databaseFile(),
          "SELECT count(*) FROM queued_evidence WHERE retry_count > 0") > 0);
      assertThat(bridge.queueStatus().queuedEvidence()).isEqualTo(20);
      kafka = EmbeddedKafka.start(kafkaDir, port, "--kafka-port", Duration.ofSeconds(60));
      Await.until("everything relayed after the broker returned", Duration.ofSeconds(180),
          () -> bridge.queueStatus().equals(new Api.QueueStatus(0, 0, 0)));
      TopicReader.Seen seen = TopicReader.read(bootstrap, "site-out", bundles.keySet(),
          bridge.identity().publicKey());
      assertThat(TopicReader.missing(bundles.keySet(), seen)).isEmpty();
      assertThat(seen.evidenceCheckedAt()).containsExactlyInAnyOrderElementsOf(
          bundles.values().stream().filter(java.util.Objects::nonNull).toList());
    } finally {
      kafka.close();
    }
  }

  private static void submit(AgentBridge bridge, Map<String, Instant> bundles, int n) {
    for (int i = 0; i < n; i++) {
      Instant checkedAt = Instant.now().truncatedTo(ChronoUnit.MILLIS).minusSeconds(600 + i);
      var q = bridge.submitEvidence(new Api.EvidenceBundle("site-out", checkedAt,
          List.of(new EvidenceCheck("firewall", CheckStatus.FAIL, "ws-" + i, null, "164.312(e)(1)")))).join();
      bundles.put(q.eventId().toString(), checkedAt);
    }
  }
}
