package dev.ledger.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class EnvelopeTest {

  private static final OrderAcknowledged PAYLOAD = new OrderAcknowledged("order-01");
  private static final Instant AT = Instant.parse("2025-03-01T12:00:00Z");

  @Test
  void theFactoryTakesTypeAndVersionFromThePayload() {
    Envelope envelope = Envelope.of("site-1", "appliance-1", AT, PAYLOAD);

    assertThat(envelope.type()).isEqualTo("order.acknowledged");
    assertThat(envelope.schemaVersion()).isEqualTo(1);
    assertThat(UuidV7.isV7(envelope.eventId())).isTrue();
    assertThat(envelope.signature()).isNull();
  }

  @Test
  void typeAndVersionCannotDisagreeWithThePayload() {
    UUID id = UuidV7.next();

    assertThatThrownBy(() -> new Envelope(id, "order.issued", 1, "site-1", null, AT, PAYLOAD, null))
        .isInstanceOfSatisfying(InvalidEventException.class, e -> assertThat(e.field()).isEqualTo("type"));
    assertThatThrownBy(() -> new Envelope(id, "order.acknowledged", 2, "site-1", null, AT, PAYLOAD, null))
        .isInstanceOfSatisfying(InvalidEventException.class,
            e -> assertThat(e.field()).isEqualTo("schema_version"));
  }

  @Test
  void requiredFieldsAreChecked() {
    assertThatThrownBy(() -> Envelope.of(" ", null, AT, PAYLOAD))
        .isInstanceOfSatisfying(InvalidEventException.class, e -> assertThat(e.field()).isEqualTo("site_id"));
    assertThatThrownBy(() -> Envelope.of("site-1", null, null, PAYLOAD))
        .isInstanceOfSatisfying(InvalidEventException.class,
            e -> assertThat(e.field()).isEqualTo("occurred_at"));
    assertThatThrownBy(() -> Envelope.of(UUID.randomUUID(), "site-1", null, AT, PAYLOAD))
        .isInstanceOfSatisfying(InvalidEventException.class, e -> assertThat(e.field()).isEqualTo("event_id"));
  }

  @Test
  void eventRecordsNameTheirInvalidField() {
    assertThatThrownBy(() -> new OrderFailed("order-01", ""))
        .isInstanceOfSatisfying(InvalidEventException.class,
            e -> assertThat(e.field()).isEqualTo("error_message"));
    assertThatThrownBy(() -> new SiteRegistered("s", "p", "o", "n", "Mars/Olympus"))
        .isInstanceOfSatisfying(InvalidEventException.class, e -> assertThat(e.field()).isEqualTo("timezone"));
    assertThatThrownBy(() -> new IncidentEscalated("INC-1", ResolutionLevel.L2, ResolutionLevel.L1, "why"))
        .isInstanceOfSatisfying(InvalidEventException.class, e -> assertThat(e.field()).isEqualTo("to_level"));
    assertThatThrownBy(() -> new CveRecorded("CVE-1", null, null, null, java.util.List.of(), AT))
        .isInstanceOfSatisfying(InvalidEventException.class, e -> assertThat(e.field()).isEqualTo("cve_id"));
  }

  @Test
  void absentJsonBecomesJsonNullSoEventsReadBackEqual() {
    assertThat(new OrderCompleted("order-01", null).result().isNull()).isTrue();
  }

  @Test
  void enumsHaveStableWireNames() {
    assertThat(ResolutionOutcome.fromWire("escalated")).isEqualTo(ResolutionOutcome.ESCALATED);
    assertThat(ResolutionLevel.L3.wire()).isEqualTo("L3");
    assertThat(CheckStatus.WARN.wire()).isEqualTo("warn");
    assertThatThrownBy(() -> PatternScope.fromWire("SITE")).isInstanceOf(IllegalArgumentException.class);
  }
}
