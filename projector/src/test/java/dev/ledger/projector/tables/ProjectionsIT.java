package dev.ledger.projector.tables;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ledger.events.CheckStatus;
import dev.ledger.events.Envelope;
import dev.ledger.events.EventSerde;
import dev.ledger.events.kafka.DeadLetter;
import dev.ledger.events.rules.EvidenceChain;
import dev.ledger.testkit.SharedInfra;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;

class ProjectionsIT {
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final Instant T0 = Instant.parse("2026-11-01T10:00:00Z");

  @Test
  void fleetIncidentsOrdersAndPatternStatsAreProjected() {
    try (Infra infra = Infra.create("proj_tables", 3)) {
      ProjectorTopics t = infra.topics;
      String incident = Events.incidentId(T0);
      String other = Events.incidentId(T0.plusSeconds(1));
      infra.send(t.registry(), Events.partner("p1", T0), Events.clientOrg("o1", "p1", T0), Events.site("s1", T0),
          Events.appliance("s1", "a-s1", T0.plusSeconds(1)), Events.checkIn("s1", "a-s1", T0.plusSeconds(60)));
      Envelope detected = Events.detected("s1", incident, "host-1", T0);
      infra.send(t.incidents(), detected, Events.detected("s1", other, "host-2", T0.plusSeconds(1)),
          Events.resolved("s1", incident, T0.plusSeconds(30)), Events.escalated("s1", other, T0.plusSeconds(40)),
          detected); // the same event resent: applied once
      infra.send(t.orders(), Events.orderIssued("s1", "ord-1", "a-s1", T0, T0.plusSeconds(3600)),
          Events.orderAcknowledged("s1", "ord-1", T0.plusSeconds(5)),
          Events.orderCompleted("s1", "ord-1", T0.plusSeconds(9)),
          Events.orderIssued("s1", "ord-2", "a-s1", T0, T0.plusSeconds(3600)));
      String sig = Events.signature("patching");
      infra.send(t.patternStats(), Events.patternStats("s1", sig, 3, T0), Events.patternStats("s1", sig, 6, T0));

      try (Projectors projectors = Projectors.start(infra.settings())) {
        Infra.await("every table projected", WAIT, () ->
            infra.count("SELECT count(*) FROM appliances WHERE last_checkin IS NOT NULL") == 1
                && infra.count("SELECT count(*) FROM incidents WHERE status <> 'open'") == 2
                && infra.count("SELECT count(*) FROM orders WHERE status = 'completed'") == 1
                && infra.count("SELECT count(*) FROM orders") == 2
                && infra.count("SELECT count(*) FROM pattern_stats WHERE occurrences = 6") == 1);
        Infra.await("lag reported", WAIT, () -> !projectors.lag().isEmpty()
            && projectors.lag().values().stream().allMatch(l -> l == 0));
        assertThat(projectors.healthy()).isTrue();
        assertThat(projectors.status()).contains("incidents").contains("dead letters 0");
      }
      Map<String, Object> row = infra.jdbi.withHandle(h -> h.createQuery(
          "SELECT status, resolution_level, outcome, resolved_at, last_event_id::text AS eid FROM incidents "
              + "WHERE incident_id = ?").bind(0, incident).mapToMap().one());
      assertThat(row).containsEntry("status", "resolved").containsEntry("resolution_level", "L1")
          .containsEntry("outcome", "success");
      assertThat(infra.count("SELECT count(*) FROM incidents WHERE status = 'escalated' AND resolution_level = 'L3'"))
          .isEqualTo(1);
      assertThat(infra.count("SELECT count(*) FROM sites s JOIN partners p ON p.partner_id = s.partner_id"))
          .isEqualTo(1);
      assertThat(infra.count("SELECT count(*) FROM pattern_stats WHERE promotion_eligible")).isEqualTo(1);
      assertThat(infra.count("SELECT count(*) FROM projector_offsets WHERE projection = 'incidents'"))
          .isPositive();
    }
  }

  @Test
  void evidenceBundlesJoinBothHalvesInChainOrderWhicheverArrivesFirst() {
    try (Infra infra = Infra.create("proj_evidence", 3)) {
      ProjectorTopics t = infra.topics;
      List<Envelope> submissions = new ArrayList<>();
      List<Envelope> seals = new ArrayList<>();
      String prev = EvidenceChain.GENESIS_PREV_HASH;
      for (int i = 1; i <= 5; i++) {
        Envelope e = Events.evidence("s1", "b-" + i, T0.plusSeconds(i * 60L),
            i == 5 ? CheckStatus.FAIL : CheckStatus.PASS);
        Envelope s = Events.sealed(e, i, prev);
        prev = ((dev.ledger.events.EvidenceSealed) s.payload()).chainHash();
        submissions.add(e);
        seals.add(s);
      }
      // Every seal first, then the submissions with the second one last: links 2.. wait for it.
      infra.send(t.sealedEvidence(), seals.toArray(Envelope[]::new));
      infra.send(t.evidence(), submissions.get(0), submissions.get(2), submissions.get(3), submissions.get(4));
      try (Projectors projectors = Projectors.start(infra.settings())) {
        Infra.await("first link", WAIT, () -> infra.count("SELECT count(*) FROM evidence_bundles") == 1);
        Infra.await("snapshots", WAIT, () -> infra.count("SELECT count(*) FROM compliance_snapshots") == 8);
        infra.send(t.evidence(), submissions.get(1));
        Infra.await("whole chain", WAIT, () -> infra.count("SELECT count(*) FROM evidence_bundles") == 5);
      }
      assertThat(infra.count("SELECT count(*) FROM evidence_seals")).isZero();
      assertThat(infra.count("SELECT count(*) FROM evidence_submissions")).isZero();
      String controls = infra.jdbi.withHandle(h -> h.createQuery(
          "SELECT hipaa_controls::text FROM evidence_bundles WHERE chain_position = 3").mapTo(String.class).one());
      assertThat(controls).isEqualTo("[\"164.312(a)(2)(iv)\"]");
      ComplianceScore score = infra.jdbi.withHandle(h -> ComplianceScore.of(h, "s1", T0.plusSeconds(3600)));
      assertThat(score.passed()).isEqualTo(1); // latest encryption result fails, latest backup passes
      assertThat(score.total()).isEqualTo(2);
      assertThat(score.display()).isEqualTo("50.0%");
    }
  }

  @Test
  void aPassingCheckResolvesTheMatchingOpenIncidentWhicheverIsProjectedFirst() {
    try (Infra infra = Infra.create("proj_checks", 3)) {
      ProjectorTopics t = infra.topics;
      String a = Events.incidentId(T0); // host-1, the pass at +100 comes after it
      String b = Events.incidentId(T0.plusSeconds(50)); // host-2, projected after the pass at +100
      String c = Events.incidentId(T0.plusSeconds(150)); // host-1, detected after the only pass of host-1
      String d = Events.incidentId(T0.plusSeconds(1)); // host-3, whose check fails
      String e = Events.incidentId(T0.plusSeconds(2)); // host-4, passes, then the agent escalates it
      String f = Events.incidentId(T0.plusSeconds(3)); // host-5, a pass at +200, then an earlier one at +120
      infra.send(t.incidents(), Events.detected("s1", a, "host-1", T0), Events.detected("s1", d, "host-3", T0),
          Events.detected("s1", e, "host-4", T0), Events.detected("s1", f, "host-5", T0));
      infra.send(t.evidence(),
          Events.evidence("s1", "b-100", T0.plusSeconds(100), List.of(
              Events.check("windows_update", CheckStatus.PASS, "host-1"),
              Events.check("windows_update", CheckStatus.PASS, "host-2"),
              Events.check("windows_update", CheckStatus.FAIL, "host-3"),
              Events.check("windows_update", CheckStatus.PASS, "host-4"),
              Events.check("backup", CheckStatus.PASS, "host-3"))),
          Events.evidence("s1", "b-200", T0.plusSeconds(200), List.of(
              Events.check("windows_update", CheckStatus.PASS, "host-5"))));
      try (Projectors projectors = Projectors.start(infra.settings())) {
        Infra.await("first passes applied", WAIT, () ->
            infra.count("SELECT count(*) FROM incidents WHERE resolved_by_bundle IS NOT NULL") == 3);
        infra.send(t.incidents(), Events.detected("s1", b, "host-2", T0.plusSeconds(50)),
            Events.detected("s1", c, "host-1", T0.plusSeconds(150)),
            Events.escalated("s1", e, T0.plusSeconds(300)));
        infra.send(t.evidence(), Events.evidence("s1", "b-120", T0.plusSeconds(120), List.of(
            Events.check("windows_update", CheckStatus.PASS, "host-5"))));
        Infra.await("every event applied", WAIT, () ->
            infra.count("SELECT count(*) FROM incidents") == 6
                && infra.count("SELECT count(*) FROM incidents WHERE status = 'escalated'") == 1
                && infra.count("SELECT count(*) FROM compliance_snapshots") == 7
                && projectors.lag().values().stream().allMatch(l -> l == 0));
      }
      Map<String, String> by = new TreeMap<>();
      infra.jdbi.useHandle(h -> h.createQuery("SELECT incident_id, status || ' ' || coalesce(resolved_by_bundle, '-') "
              + "|| ' ' || coalesce(to_char(resolved_at AT TIME ZONE 'UTC', 'HH24:MI:SS'), '-') AS v FROM incidents")
          .mapToMap().forEach(r -> by.put((String) r.get("incident_id"), (String) r.get("v"))));
      assertThat(by).containsEntry(a, "resolved b-100 10:01:40")
          .containsEntry(b, "resolved b-100 10:01:40")
          .containsEntry(c, "open - -")
          .containsEntry(d, "open - -")
          .containsEntry(e, "escalated - -")
          .containsEntry(f, "resolved b-120 10:02:00");
      assertThat(infra.count("SELECT count(*) FROM incidents WHERE resolution_level IS NOT NULL AND "
          + "resolved_by_bundle IS NOT NULL")).isZero();
    }
  }

  @Test
  void badEventsGoToTheDeadLetterTopicAndTheProjectorGoesOn() {
    try (Infra infra = Infra.create("proj_dlq", 1)) {
      ProjectorTopics t = infra.topics;
      infra.sendRaw(t.orders(), "s1", "{not json".getBytes(StandardCharsets.UTF_8));
      // Valid events, but expires_at before issued_at breaks orders_expiry_check: the database rejects it.
      infra.send(t.orders(), Events.orderIssued("s1", "ord-bad", "a1", T0, T0.minusSeconds(1)),
          Events.orderIssued("s1", "ord-ok", "a1", T0, T0.plusSeconds(60)));
      try (Projectors projectors = Projectors.start(infra.settings().withProjections(List.of("orders")))) {
        Infra.await("good order", WAIT, () -> infra.count("SELECT count(*) FROM orders") == 1);
        Infra.await("dead letters counted", WAIT, () -> projectors.deadLetterCount() == 2);
        assertThat(projectors.status()).contains("dead letters 2");
      }
      List<ConsumerRecord<byte[], byte[]>> dead = readAll(t.deadLetter(), 2);
      assertThat(dead).extracting(r -> DeadLetter.read(r.headers(), DeadLetter.REASON_CODE))
          .containsExactly("malformed_event", Projector.REJECTED);
      assertThat(DeadLetter.read(dead.get(1).headers(), DeadLetter.REASON_MESSAGE)).contains("orders_expiry_check");
      assertThat(DeadLetter.read(dead.get(1).headers(), DeadLetter.SOURCE_OFFSET)).isEqualTo("1");
      assertThat(EventSerde.deserialize(dead.get(1).value()).payload()).isNotNull();
    }
  }

  static List<ConsumerRecord<byte[], byte[]>> readAll(String topic, int expected) {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedInfra.kafka().bootstrapServers());
    props.put(ConsumerConfig.GROUP_ID_CONFIG, "reader-" + topic);
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> c =
        new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      c.subscribe(List.of(topic));
      Infra.await(expected + " records on " + topic, WAIT, () -> {
        c.poll(Duration.ofMillis(200)).forEach(out::add);
        return out.size() >= expected;
      });
    }
    return out;
  }
}
