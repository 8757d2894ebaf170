/**
 * The topic catalogue ({@link dev.ledger.events.kafka.Topics}), Kafka serdes of envelopes, dead-letter headers and
 * idempotent topic creation.
 */
package dev.ledger.events.kafka;
