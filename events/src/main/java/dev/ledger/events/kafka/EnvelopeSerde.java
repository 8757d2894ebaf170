package dev.ledger.events.kafka;

import dev.ledger.events.Envelope;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/** Kafka serde of envelopes in the wire format of {@link dev.ledger.events.EventSerde}. */
public final class EnvelopeSerde implements Serde<Envelope> {

  @Override
  public Serializer<Envelope> serializer() {
    return new EnvelopeSerializer();
  }

  @Override
  public Deserializer<Envelope> deserializer() {
    return new EnvelopeDeserializer();
  }
}
