package dev.ledger.projector.streams;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ledger.events.EventSerde;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/** JSON serdes of the state-store records and the flap-stats topic, with the wire format's mapper. */
final class JsonSerde {
  static final ObjectMapper MAPPER = EventSerde.mapper();

  private JsonSerde() {
  }

  static <T> Serde<T> of(Class<T> type) {
    return Serdes.serdeFrom((topic, value) -> value == null ? null : write(value), (topic, bytes) -> {
      if (bytes == null) {
        return null;
      }
      try {
        return MAPPER.readValue(bytes, type);
      } catch (IOException e) {
        throw new UncheckedIOException("corrupt " + type.getSimpleName() + " in state", e);
      }
    });
  }

  static byte[] write(Object value) {
    try {
      return MAPPER.writeValueAsBytes(value);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + value.getClass().getSimpleName(), e);
    }
  }
}
