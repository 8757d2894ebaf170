package dev.ledger.projector.streams;

import dev.ledger.events.LedgerException;
import dev.ledger.events.kafka.DeadLetter;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Builds dead-letter records: the rejected key and bytes unchanged, the reason and source in headers. */
final class Rejecter {
  private static final Logger LOG = LoggerFactory.getLogger(Rejecter.class);

  /** Where a record came from, kept with parked records so a late rejection still names its source. */
  record Source(String topic, int partition, long offset) {
    static Source of(RecordMetadata metadata) {
      return new Source(metadata.topic(), metadata.partition(), metadata.offset());
    }
  }

  private final String deadLetterTopic;

  Rejecter(String deadLetterTopic) {
    this.deadLetterTopic = deadLetterTopic;
  }

  Record<String, Emit> reject(String key, byte[] value, LedgerException reason, Source source, long timestamp) {
    LOG.warn("dead-lettering {}-{}@{}: {} ({})", source.topic(), source.partition(), source.offset(),
        reason.code(), reason.getMessage());
    return new Record<>(key, Emit.output(deadLetterTopic, value), timestamp,
        DeadLetter.headers(reason, source.topic(), source.partition(), source.offset()));
  }
}
