package dev.ledger.bridge;

import java.util.UUID;

/** A signed, serialized envelope on its way to Kafka: an outbox or evidence-queue row. */
record Outgoing(UUID eventId, String type, String topic, String key, byte[] bytes) {
}
