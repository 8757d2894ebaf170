package dev.ledger.projector.streams;

import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.TopicNameExtractor;

/**
 * What a processor of the topology emits: bytes for an output {@code topic}, or bytes bound for one of the
 * fleet-wide repartitions. Only {@link #value} goes on the wire.
 */
record Emit(Route route, String topic, byte[] value) {

  enum Route { OUTPUT, FLEET_PATTERN, FLEET_FLAP }

  /** Writes only the bytes of the emitted value. */
  static final Serde<Emit> SERDE = Serdes.serdeFrom(
      (topic, emit) -> emit == null ? null : emit.value(),
      (topic, bytes) -> {
        throw new UnsupportedOperationException("Emit is never read back");
      });

  /** Routes each output record to the topic it names. */
  static final TopicNameExtractor<String, Emit> TOPIC = (key, emit, context) -> emit.topic();

  static Emit output(String topic, byte[] value) {
    return new Emit(Route.OUTPUT, topic, value);
  }

  static Emit fleetPattern(byte[] envelope) {
    return new Emit(Route.FLEET_PATTERN, null, envelope);
  }

  static Emit fleetFlap(byte[] envelope) {
    return new Emit(Route.FLEET_FLAP, null, envelope);
  }
}
