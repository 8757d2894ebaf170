package dev.ledger.events.kafka;

import dev.ledger.events.Envelope;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * A topic with the serdes of its key and value, for producers, consumers and Streams topologies. Keys are always
 * strings.
 */
public record Topic<V>(TopicSpec spec, Serde<String> keySerde, Serde<V> valueSerde) {

  /** A catalogue topic whose values are envelopes (every one but {@link Topics#DEAD_LETTER}). */
  public static Topic<Envelope> envelopes(TopicSpec spec) {
    if (spec.equals(Topics.DEAD_LETTER)) {
      throw new IllegalArgumentException("dead-letter values are raw bytes: use Topic.deadLetter()");
    }
    return new Topic<>(spec, Serdes.String(), new EnvelopeSerde());
  }

  /** The dead-letter topic, whose values are the rejected records' bytes. */
  public static Topic<byte[]> deadLetter() {
    return new Topic<>(Topics.DEAD_LETTER, Serdes.String(), Serdes.ByteArray());
  }

  public String name() {
    return spec.name();
  }
}
