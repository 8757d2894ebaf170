package dev.ledger.bridge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ledger.bridge.Api.NewIncident;
import dev.ledger.bridge.Api.Resolution;
import dev.ledger.bridge.Api.SuppressionFilter;
import dev.ledger.bridge.store.AgentDatabase;
import dev.ledger.events.CheckStatus;
import dev.ledger.events.Envelope;
import dev.ledger.events.EventSerde;
import dev.ledger.events.EvidenceCheck;
import dev.ledger.events.IncidentDetected;
import dev.ledger.events.ResolutionLevel;
import dev.ledger.events.ResolutionOutcome;
import dev.ledger.events.crypto.Signing;
import dev.ledger.testkit.MutableClock;
import java.nio.file.Files;
import java.sql.PreparedStatement;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The bridge on a real SQLite file, without a broker: schema, identity, local rules, the evidence queue. */
class AgentBridgeIT {
  static final Instant T0 = Instant.parse("2026-03-01T12:00:00Z");

  @TempDir Path dir;
  final MutableClock clock = new MutableClock(T0);

  BridgeConfig config() {
    return BridgeConfig.of("site-a", "app-1", dir, null).withHttpPort(-1).withClock(clock);
  }

  static NewIncident incident(String host, String type) {
    return incident("site-a", host, type);
  }

  static NewIncident incident(String site, String host, String type) {
    return new NewIncident(site, host, type, "high", "firewall", "disabled", "mpssvc", "service stopped",
        null, null);
  }

  @Test
  void databaseIsDurableAndItsSchemaIsIdempotent() throws Exception {
    try (Connection c = AgentDatabase.open(dir.resolve("x.db")); Connection again =
        AgentDatabase.open(dir.resolve("x.db")); ResultSet rs = c.createStatement().executeQuery(
        "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'incidents' AND name LIKE 'idx_%'")) {
      int indexes = 0;
      while (rs.next()) {
        indexes++;
      }
      assertThat(indexes).isEqualTo(3);
      ResultSet sync = again.createStatement().executeQuery("PRAGMA synchronous");
      sync.next();
      assertThat(sync.getInt(1)).isEqualTo(2);
    }
  }

  @Test
  void recordsIncidentsSignableAsTheApplianceAndRegistersItOnce() throws Exception {
    Api.IncidentRecorded recorded;
    try (AgentBridge bridge = AgentBridge.start(config())) {
      recorded = bridge.recordIncident(incident("ws-1", "firewall_disabled")).join();
    }
    try (AgentBridge bridge = AgentBridge.start(config())) {
      bridge.recordIncident(incident("ws-1", "firewall_disabled")).join();
      Path db = bridge.config().databaseFile();
      assertThat(Db.count(db, "SELECT count(*) FROM incidents")).isEqualTo(2);
      assertThat(Db.count(db, "SELECT count(*) FROM outbox WHERE type = 'appliance.registered'")).isEqualTo(1);
      assertThat(bridge.outboxEmpty()).as("no relay: the events wait in the outbox").isFalse();
      assertThat(Db.count(db, "SELECT count(*) FROM pattern_stats WHERE occurrences = 2")).isEqualTo(1);
      byte[] bytes = payloadOf(db, recorded.eventId().toString());
      byte[] signed = bridge.identity().signBatch(List.of(bytes)).get(0);
      assertThat(Signing.verify(signed, bridge.identity().publicKey())).isTrue();
      assertThat(bridge.identity().signBatch(List.of(bytes)).get(0)).as("deterministic: a re-send has the same bytes")
          .isEqualTo(signed);
      // A row an older bridge wrote holds the envelope in field order with a null signature: it signs as well.
      byte[] legacy = EventSerde.serialize(EventSerde.deserialize(signed).withSignature(null));
      assertThat(new String(legacy, java.nio.charset.StandardCharsets.UTF_8)).startsWith("{\"event_id\"");
      List<byte[]> both = bridge.identity().signBatch(List.of(legacy, bytes));
      assertThat(both).allSatisfy(b -> assertThat(Signing.verify(b, bridge.identity().publicKey())).isTrue());
      Envelope envelope = EventSerde.deserialize(signed);
      assertThat(envelope.siteId()).isEqualTo("site-a");
      assertThat(((IncidentDetected) envelope.payload()).incidentId()).isEqualTo(recorded.incidentId());
    }
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve(Identity.PRIVATE_FILE))))
        .isEqualTo("rw-------");
  }

  @Test
  void theFlapRuleReadsOnlyItsPartialIndex() throws Exception {
    try (AgentBridge bridge = AgentBridge.start(config());
        Connection c = AgentDatabase.open(bridge.config().databaseFile());
        PreparedStatement p = c.prepareStatement("EXPLAIN QUERY PLAN " + Store.SUCCESSFUL_HEALS)) {
      for (int i = 1; i <= 4; i++) {
        p.setString(i, "x");
      }
      StringBuilder plan = new StringBuilder();
      try (ResultSet rs = p.executeQuery()) {
        while (rs.next()) {
          plan.append(rs.getString("detail")).append('\n');
        }
      }
      assertThat(plan.toString()).contains("USING COVERING INDEX idx_incidents_successful_heals")
          .doesNotContain("SCAN incidents");
    }
  }

  @Test
  void thirdHealWithinTwoHoursSuppressesUntilClearedAndReArms() {
    try (AgentBridge bridge = AgentBridge.start(config())) {
      assertThat(heal(bridge, "ws-2").flapSuppressed()).isFalse();
      assertThat(heal(bridge, "ws-2").flapSuppressed()).isFalse();
      assertThat(heal(bridge, "ws-2").flapSuppressed()).isTrue();
    }
    try (AgentBridge bridge = AgentBridge.start(config())) {
      assertThat(bridge.suppressions(SuppressionFilter.ALL)).singleElement()
          .satisfies(s -> assertThat(s.healCount()).isEqualTo(3));
      assertThat(bridge.recordIncident(incident("ws-2", "av_stopped")).join().suppressed()).isTrue();
      assertThat(bridge.clearSuppressions(new SuppressionFilter("site-a", "ws-2", null), "ops@x", "fixed").join())
          .isEqualTo(1);
      assertThat(bridge.suppressions(SuppressionFilter.ALL)).isEmpty();
      assertThat(heal(bridge, "ws-2").flapSuppressed()).isFalse();
      assertThat(heal(bridge, "ws-2").flapSuppressed()).isFalse();
      assertThat(heal(bridge, "ws-2").flapSuppressed()).isTrue();
      Path db = bridge.config().databaseFile();
      assertThat(Db.count(db, "SELECT count(*) FROM outbox WHERE type = 'flap_suppression.recorded'")).isEqualTo(2);
      assertThat(Db.count(db, "SELECT count(*) FROM outbox WHERE type = 'flap_suppression.cleared'")).isEqualTo(1);
    }
  }

  @Test
  void healsSpreadOverMoreThanTwoHoursDoNotFlap() {
    try (AgentBridge bridge = AgentBridge.start(config())) {
      for (int i = 0; i < 4; i++) {
        assertThat(heal(bridge, "ws-3").flapSuppressed()).isFalse();
        clock.advance(Duration.ofMinutes(61));
      }
    }
  }

  @Test
  void recurringL2SuccessesMakeThePatternPromotionEligible() {
    try (AgentBridge bridge = AgentBridge.start(config())) {
      for (int i = 0; i < 5; i++) {
        String id = bridge.recordIncident(incident("ws-" + i, "firewall_disabled")).join().incidentId();
        bridge.recordResolution(new Resolution(id, ResolutionLevel.L2, "restart-fw", ResolutionOutcome.SUCCESS, 900,
            null)).join();
        clock.advance(Duration.ofMinutes(1));
      }
      assertThat(Db.count(bridge.config().databaseFile(),
          "SELECT count(*) FROM pattern_stats WHERE promotion_eligible = 1 AND l2_resolutions = 5")).isEqualTo(1);
    }
  }

  @Test
  void refusesBadResolutionsAndStoresNothing() {
    try (AgentBridge bridge = AgentBridge.start(config())) {
      String id = bridge.recordIncident(incident("ws-1", "t")).join().incidentId();
      Resolution ok = new Resolution(id, ResolutionLevel.L1, "a", ResolutionOutcome.FAILURE, 5, null);
      bridge.recordResolution(ok).join();
      assertThatThrownBy(() -> bridge.recordResolution(ok).join()).hasCauseInstanceOf(BridgeException.class)
          .hasMessageContaining("already resolved");
      assertThatThrownBy(() -> bridge.recordResolution(new Resolution("INC-nope", ResolutionLevel.L1, "a",
          ResolutionOutcome.SUCCESS, 5, null)).join()).hasMessageContaining("no incident");
      assertThatThrownBy(() -> bridge.recordIncident(new NewIncident("site-b", "h", "t", "low", null, null, null,
          null, null, null)).join()).isInstanceOf(CompletionException.class).hasMessageContaining("site-b");
      assertThat(Db.count(bridge.config().databaseFile(), "SELECT count(*) FROM incidents")).isEqualTo(1);
    }
  }

  @Test
  void fullEvidenceQueueRefusesLoudlyWithOneFloodAlert() {
    BridgeConfig config = config().withEvidenceQueue(2, 3, Duration.ofMinutes(1));
    try (AgentBridge bridge = AgentBridge.start(config)) {
      bridge.submitEvidence(bundle()).join();
      bridge.submitEvidence(bundle()).join();
      for (int i = 0; i < 3; i++) {
        assertThatThrownBy(() -> bridge.submitEvidence(bundle()).join())
            .hasCauseInstanceOf(BridgeException.class).hasMessageContaining("evidence queue is full");
      }
      Path db = config.databaseFile();
      assertThat(Db.count(db, "SELECT count(*) FROM queued_evidence")).isEqualTo(2);
      assertThat(Db.count(db, "SELECT count(*) FROM incidents WHERE incident_type = 'evidence_queue_full'"))
          .isEqualTo(1);
    }
  }

  @Test
  void failedEvidenceBacksOffKeepsItsCheckTimeAndIsParkedDeadAtTheCap() {
    BridgeConfig config = config().withEvidenceQueue(10, 3, Duration.ofMinutes(1));
    try (AgentBridge bridge = AgentBridge.start(config)) {
      bridge.submitEvidence(bundle()).join();
      Path db = config.databaseFile();
      long id = Db.count(db, "SELECT id FROM queued_evidence");
      GroupCommitter committer = bridge.committer();
      List<Long> expectedMinutes = List.of(1L, 2L, 4L);
      for (int attempt = 0; attempt < 3; attempt++) {
        boolean dead = committer.submit(EvidenceOps.failed(id, attempt, "broker down", 3, Duration.ofMinutes(1)))
            .join();
        assertThat(dead).isEqualTo(attempt == 2);
        assertThat(Db.strings(db, "SELECT next_retry_at FROM queued_evidence").get(0))
            .isEqualTo(Times.text(T0.plus(Duration.ofMinutes(expectedMinutes.get(attempt)))));
      }
      assertThat(Db.strings(db, "SELECT status || ' ' || retry_count || ' ' || checked_at FROM queued_evidence"))
          .containsExactly("dead 3 " + Times.text(T0.minusSeconds(30)));
      assertThat(bridge.queueStatus().deadEvidence()).isEqualTo(1);
    }
  }

  Api.EvidenceBundle bundle() {
    return new Api.EvidenceBundle("site-a", T0.minusSeconds(30),
        List.of(new EvidenceCheck("bitlocker", CheckStatus.PASS, "ws-1", null, "164.312(a)(2)(iv)")));
  }

  Api.ResolutionRecorded heal(AgentBridge bridge, String host) {
    String id = bridge.recordIncident(incident(host, "av_stopped")).join().incidentId();
    clock.advance(Duration.ofMinutes(10));
    return bridge.recordResolution(new Resolution(id, ResolutionLevel.L1, "restart-av", ResolutionOutcome.SUCCESS,
        1200, null)).join();
  }

  static byte[] payloadOf(Path db, String eventId) throws Exception {
    try (Connection c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + db);
        var p = c.prepareStatement("SELECT payload FROM outbox WHERE id = ?")) {
      p.setString(1, eventId);
      try (ResultSet rs = p.executeQuery()) {
        assertThat(rs.next()).isTrue();
        return rs.getBytes(1);
      }
    }
  }
}
