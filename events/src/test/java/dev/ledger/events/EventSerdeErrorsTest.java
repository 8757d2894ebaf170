package dev.ledger.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class EventSerdeErrorsTest {

  private static final EventType DETECTED = EventTypes.byName("incident.detected");

  @ParameterizedTest
  @ValueSource(strings = {"", "   ", "not json", "{\"event_id\":", "[1,2]", "42", "{} {}", "{\"a\":1,\"a\":2}"})
  void bytesThatAreNoJsonObjectAreMalformed(String text) {
    assertThatThrownBy(() -> EventSerde.deserialize(text.getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(MalformedEventException.class)
        .extracting(e -> ((LedgerException) e).code()).isEqualTo("malformed_event");
  }

  @Test
  void anUnknownTypeIsNamed() {
    byte[] bytes = tampered(tree -> tree.put("type", "incident.exploded"));

    assertThatThrownBy(() -> EventSerde.deserialize(bytes))
        .isInstanceOfSatisfying(UnknownEventTypeException.class, e -> {
          assertThat(e.type()).isEqualTo("incident.exploded");
          assertThat(e.code()).isEqualTo("unknown_event_type");
        });
  }

  @Test
  void aNewerSchemaVersionIsRejectedWithTheSupportedOne() {
    byte[] bytes = tampered(tree -> tree.put("schema_version", 3));

    assertThatThrownBy(() -> EventSerde.deserialize(bytes))
        .isInstanceOfSatisfying(UnsupportedSchemaVersionException.class, e -> {
          assertThat(e.version()).isEqualTo(3);
          assertThat(e.supportedVersion()).isEqualTo(2);
          assertThat(e.code()).isEqualTo("unsupported_schema_version");
        });
  }

  @Test
  void aMissingEnvelopeFieldIsNamed() {
    assertInvalid(tree -> tree.remove("site_id"), "site_id");
    assertInvalid(tree -> tree.remove("appliance_id"), "appliance_id");
    assertInvalid(tree -> tree.remove("payload"), "payload");
  }

  @Test
  void aMissingOrNullPayloadFieldIsNamed() {
    assertInvalid(tree -> payload(tree).remove("incident_id"), "payload.incident_id");
    assertInvalid(tree -> payload(tree).remove("drift_type"), "payload.drift_type");
    assertInvalid(tree -> payload(tree).putNull("hostname"), "payload.hostname");
  }

  @Test
  void aFieldBreakingItsRuleIsNamed() {
    assertInvalid(tree -> payload(tree).put("hostname", " "), "payload.hostname");
    assertInvalid(tree -> payload(tree).put("pattern_signature", "XYZ"), "payload.pattern_signature");
    assertInvalid(tree -> tree.put("event_id", "not-a-uuid"), "event_id");
    assertInvalid(tree -> tree.put("event_id", "6f1c2a7e-0b0a-4c1e-9d7e-2b8f3f4a5c6d"), "event_id");
    assertInvalid(tree -> tree.put("occurred_at", "yesterday"), "occurred_at");
    assertInvalid(tree -> tree.put("occurred_at", "2025-03-01T12:00:00+01:00"), "occurred_at");
    assertInvalid(tree -> tree.put("schema_version", 0), "schema_version");
    assertInvalid(tree -> tree.put("payload", "text"), "payload");
  }

  @Test
  void wrongJsonTypesAndUnknownFieldsAreInvalid() {
    assertInvalid(tree -> tree.put("schema_version", "2"), "schema_version");
    assertInvalid(tree -> tree.put("occurred_at", 1_740_830_400), "occurred_at");
    assertInvalid(tree -> payload(tree).put("severity", 5), "payload.severity");
    assertInvalid(tree -> payload(tree).put("raw_data_extra", 1), "payload.raw_data_extra");
    assertInvalid(tree -> tree.put("routing", "x"), "routing");
  }

  @Test
  void nestedFieldsAreNamedWithTheirPath() {
    EventType submitted = EventTypes.byName("evidence.submitted");
    ObjectNode tree = tree(submitted);
    ((ObjectNode) payload(tree).withArray("checks").get(1)).put("status", "maybe");
    assertInvalidBytes(bytes(tree), "payload.checks[1].status");

    ObjectNode blank = tree(submitted);
    ((ObjectNode) payload(blank).withArray("checks").get(0)).put("check_type", "");
    assertInvalidBytes(bytes(blank), "payload.checks[0].check_type");
  }

  @Test
  void aWrongEnumValueIsInvalid() {
    EventType resolved = EventTypes.byName("incident.resolved");
    ObjectNode tree = tree(resolved);
    payload(tree).put("outcome", "won");
    assertInvalidBytes(bytes(tree), "payload.outcome");
  }

  private static void assertInvalid(Consumer<ObjectNode> change, String field) {
    assertInvalidBytes(tampered(change), field);
  }

  private static void assertInvalidBytes(byte[] bytes, String field) {
    assertThatThrownBy(() -> EventSerde.deserialize(bytes))
        .isInstanceOfSatisfying(InvalidEventException.class, e -> {
          assertThat(e.field()).isEqualTo(field);
          assertThat(e.code()).isEqualTo("invalid_event");
        });
  }

  private static byte[] tampered(Consumer<ObjectNode> change) {
    ObjectNode tree = tree(DETECTED);
    change.accept(tree);
    return bytes(tree);
  }

  private static ObjectNode tree(EventType type) {
    return (ObjectNode) EventSerde.toTree(EventSamples.envelope(type));
  }

  private static ObjectNode payload(ObjectNode tree) {
    return (ObjectNode) tree.get("payload");
  }

  private static byte[] bytes(ObjectNode tree) {
    return tree.toString().getBytes(StandardCharsets.UTF_8);
  }
}
