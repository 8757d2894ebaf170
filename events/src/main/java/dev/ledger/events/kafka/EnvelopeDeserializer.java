package dev.ledger.events.kafka;

import dev.ledger.events.Envelope;
import dev.ledger.events.EventSerde;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Kafka deserializer of envelopes, upcasting old versions; null stays null. Bad bytes throw a
 * {@link dev.ledger.events.EventRejectedException} subclass.
 */
public final class EnvelopeDeserializer implements Deserializer<Envelope> {

  @Override
  public Envelope deserialize(String topic, byte[] data) {
    return data == null ? null : EventSerde.deserialize(data);
  }
}
