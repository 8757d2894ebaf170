package dev.ledger.events.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ledger.events.Envelope;
import dev.ledger.events.EventSamples;
import dev.ledger.events.EventTypes;
import dev.ledger.events.InvalidEventException;
import dev.ledger.events.MalformedEventException;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.Headers;
import org.junit.jupiter.api.Test;

class EnvelopeSerdeTest {

  private final EnvelopeSerde serde = new EnvelopeSerde();

  @Test
  void roundTripsThroughKafkaSerializerAndDeserializer() {
    Envelope envelope = EventSamples.envelope(EventTypes.byName("order.issued"));

    byte[] bytes = serde.serializer().serialize("order-events", envelope);

    assertThat(serde.deserializer().deserialize("order-events", bytes)).isEqualTo(envelope);
  }

  @Test
  void nullStaysNull() {
    assertThat(serde.serializer().serialize("t", null)).isNull();
    assertThat(serde.deserializer().deserialize("t", null)).isNull();
  }

  @Test
  void badBytesThrowTheSerdeExceptions() {
    assertThatThrownBy(() -> serde.deserializer().deserialize("t", "nope".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(MalformedEventException.class);
  }

  @Test
  void deadLetterHeadersCarryTheReason() {
    Headers headers = DeadLetter.headers(new InvalidEventException("site_id", "is required"), "order-events", 2,
        41L);

    assertThat(DeadLetter.read(headers, DeadLetter.REASON_CODE)).isEqualTo("invalid_event");
    assertThat(DeadLetter.read(headers, DeadLetter.REASON_MESSAGE)).contains("site_id");
    assertThat(DeadLetter.read(headers, DeadLetter.SOURCE_TOPIC)).isEqualTo("order-events");
    assertThat(DeadLetter.read(headers, DeadLetter.SOURCE_PARTITION)).isEqualTo("2");
    assertThat(DeadLetter.read(headers, DeadLetter.SOURCE_OFFSET)).isEqualTo("41");
  }
}
