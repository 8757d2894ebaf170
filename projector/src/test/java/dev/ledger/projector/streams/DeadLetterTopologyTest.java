package dev.ledger.projector.streams;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ledger.events.kafka.DeadLetter;
import dev.ledger.projector.streams.Samples.Appliance;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;

/** One test per class of bad record: it goes to the dead-letter topic with its reason, and the next one is fine. */
class DeadLetterTopologyTest {
  private final Appliance appliance = Appliance.of("app-1", "site-a");

  @Test
  void undeserializableBytes() throws Exception {
    try (TopologyFixture f = new TopologyFixture()) {
      byte[] garbage = "{not json".getBytes(StandardCharsets.UTF_8);
      f.incidents.pipeInput("site-a", garbage);
      assertRejectedThenKeepsRunning(f, f.incidents, garbage, "malformed_event", f.settings.topics().incidents());
      f.evidence.pipeInput("site-a", garbage);
      assertThat(f.deadLetter.readRecordsToList()).singleElement()
          .satisfies(r -> assertThat(TopologyFixture.reason(r)).isEqualTo("malformed_event"));
    }
  }

  @Test
  void unknownEventType() throws Exception {
    try (TopologyFixture f = new TopologyFixture()) {
      byte[] bad = Samples.edited(Samples.detected("site-a", f.now()), t -> t.put("type", "incident.teleported"));
      f.incidents.pipeInput("site-a", bad);
      assertRejectedThenKeepsRunning(f, f.incidents, bad, "unknown_event_type", f.settings.topics().incidents());
    }
  }

  @Test
  void newerSchemaVersionThanTheCodeKnows() throws Exception {
    try (TopologyFixture f = new TopologyFixture()) {
      byte[] bad = Samples.edited(Samples.detected("site-a", f.now()), t -> t.put("schema_version", 99));
      f.incidents.pipeInput("site-a", bad);
      assertRejectedThenKeepsRunning(f, f.incidents, bad, "unsupported_schema_version",
          f.settings.topics().incidents());
    }
  }

  @Test
  void missingFields() throws Exception {
    try (TopologyFixture f = new TopologyFixture()) {
      byte[] bad = Samples.edited(Samples.detected("site-a", f.now()),
          t -> ((com.fasterxml.jackson.databind.node.ObjectNode) t.get("payload")).remove("hostname"));
      f.incidents.pipeInput("site-a", bad);
      TestRecord<String, byte[]> rejected =
          assertRejectedThenKeepsRunning(f, f.incidents, bad, "invalid_event", f.settings.topics().incidents());
      assertThat(DeadLetter.read(rejected.headers(), DeadLetter.REASON_MESSAGE)).contains("hostname");
    }
  }

  @Test
  void forgedSignature() throws Exception {
    try (TopologyFixture f = new TopologyFixture()) {
      f.registry.pipeInput("site-a", appliance.registration(f.now()));
      byte[] signed = appliance.evidence(appliance.bundle("b-1", f.now()), f.now());
      byte[] forged = Samples.edited(signed,
          t -> ((com.fasterxml.jackson.databind.node.ObjectNode) t.get("payload")).put("bundle_id", "b-forged"));
      f.evidence.pipeInput("site-a", forged);
      assertEvidenceRejectedThenKeepsRunning(f, forged, "invalid_signature");
    }
  }

  @Test
  void missingSignature() throws Exception {
    try (TopologyFixture f = new TopologyFixture()) {
      f.registry.pipeInput("site-a", appliance.registration(f.now()));
      byte[] unsigned = Samples.edited(appliance.evidence(appliance.bundle("b-1", f.now()), f.now()),
          t -> t.putNull("signature"));
      f.evidence.pipeInput("site-a", unsigned);
      assertEvidenceRejectedThenKeepsRunning(f, unsigned, "invalid_signature");
    }
  }

  @Test
  void signedByAnotherAppliancesKey() throws Exception {
    try (TopologyFixture f = new TopologyFixture()) {
      f.registry.pipeInput("site-a", appliance.registration(f.now()));
      Appliance impostor = new Appliance("app-1", "site-a", Appliance.of("x", "site-a").keys());
      byte[] bad = impostor.evidence(impostor.bundle("b-1", f.now()), f.now());
      f.evidence.pipeInput("site-a", bad);
      assertEvidenceRejectedThenKeepsRunning(f, bad, "invalid_signature");
    }
  }

  @Test
  void applianceOfAnotherSite() throws Exception {
    try (TopologyFixture f = new TopologyFixture()) {
      f.registry.pipeInput("site-a", appliance.registration(f.now()));
      byte[] bad = appliance.evidence("site-b", appliance.bundle("b-1", f.now()), f.now());
      f.evidence.pipeInput("site-b", bad);
      TestRecord<String, byte[]> r = f.deadLetter.readRecordsToList().get(0);
      assertThat(TopologyFixture.reason(r)).isEqualTo("appliance_site_mismatch");
      assertThat(r.key()).isEqualTo("site-b");
      assertThat(r.value()).isEqualTo(bad);
      assertThat(f.sealed.isEmpty()).isTrue();
      f.evidence.pipeInput("site-a", appliance.evidence(appliance.bundle("b-2", f.now()), f.now()));
      assertThat(f.sealed.readRecordsToList()).hasSize(1);
    }
  }

  @Test
  void anEventOfTheWrongStreamOrSite() throws Exception {
    try (TopologyFixture f = new TopologyFixture()) {
      f.evidence.pipeInput("site-a", Samples.detected("site-a", f.now()));
      f.incidents.pipeInput("site-b", Samples.detected("site-a", f.now()));
      assertThat(f.deadLetter.readRecordsToList()).map(TopologyFixture::reason)
          .containsExactly("invalid_event", "invalid_event");
    }
  }

  private static TestRecord<String, byte[]> assertRejectedThenKeepsRunning(TopologyFixture f,
      TestInputTopic<String, byte[]> input, byte[] bad, String code, String sourceTopic) {
    TestRecord<String, byte[]> r = f.deadLetter.readRecordsToList().get(0);
    assertThat(TopologyFixture.reason(r)).isEqualTo(code);
    assertThat(r.key()).isEqualTo("site-a");
    assertThat(r.value()).isEqualTo(bad);
    assertThat(DeadLetter.read(r.headers(), DeadLetter.SOURCE_TOPIC)).isEqualTo(sourceTopic);
    assertThat(DeadLetter.read(r.headers(), DeadLetter.SOURCE_PARTITION)).isEqualTo("0");
    assertThat(DeadLetter.read(r.headers(), DeadLetter.SOURCE_OFFSET)).isEqualTo("0");
    assertThat(f.patternStats.isEmpty()).isTrue();
    input.pipeInput("site-a", Samples.detected("site-a", f.now()));
    f.publish();
    assertThat(f.patternStats.readRecordsToList()).isNotEmpty();
    assertThat(f.deadLetter.isEmpty()).isTrue();
    return r;
  }

  private void assertEvidenceRejectedThenKeepsRunning(TopologyFixture f, byte[] bad, String code) {
    TestOutputTopic<String, byte[]> dlq = f.deadLetter;
    TestRecord<String, byte[]> r = dlq.readRecordsToList().get(0);
    assertThat(TopologyFixture.reason(r)).isEqualTo(code);
    assertThat(r.value()).isEqualTo(bad);
    assertThat(DeadLetter.read(r.headers(), DeadLetter.SOURCE_TOPIC)).isEqualTo(f.settings.topics().evidence());
    assertThat(f.sealed.isEmpty()).isTrue();
    f.evidence.pipeInput("site-a", appliance.evidence(appliance.bundle("b-good", f.now()), f.now()));
    assertThat(f.sealed.readRecordsToList()).hasSize(1);
    assertThat(dlq.isEmpty()).isTrue();
  }
}
