package dev.ledger.events.kafka;

import dev.ledger.events.Envelope;
import dev.ledger.events.EventSerde;
import org.apache.kafka.common.serialization.Serializer;

/** Kafka serializer of envelopes; null stays null. */
public final class EnvelopeSerializer implements Serializer<Envelope> {

  @Override
  public byte[] serialize(String topic, Envelope envelope) {
    return envelope == null ? null : EventSerde.serialize(envelope);
  }
}
