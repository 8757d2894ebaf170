package dev.ledger.projector.tables;

import dev.ledger.events.Envelope;
import java.time.Instant;

/** One decoded record handed to a projection: the envelope and where (and when) Kafka stored it. */
record Incoming(String topic, int partition, long offset, Instant timestamp, Envelope envelope) {
}
