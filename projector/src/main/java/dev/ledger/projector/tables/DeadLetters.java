package dev.ledger.projector.tables;

import dev.ledger.events.LedgerException;
import dev.ledger.events.kafka.DeadLetter;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Writes rejected records to the dead-letter topic, byte for byte with the reason in {@link DeadLetter}
 * headers, and counts them. A projector sends and waits for the acknowledgement before it commits the
 * transaction that moves past the record, so a rejected record is never lost; a crash in between sends it again.
 */
final class DeadLetters implements AutoCloseable {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(DeadLetters.class);
  private final KafkaProducer<byte[], byte[]> producer;
  private final String topic;
  private final AtomicLong count = new AtomicLong();

  /** Dead letters to {@code topic}; with {@code emit} false they are only counted and logged (a replay). */
  DeadLetters(String bootstrapServers, String topic, boolean emit) {
    this.topic = topic;
    if (!emit) {
      producer = null;
      return;
    }
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    // A dead letter is the only trace of a rejected event: wait for every in-sync replica, never duplicate on retry.
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    producer = new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
  }

  /** A record rejected with {@code code}; call {@link #send} to write it. */
  record Rejected(ConsumerRecord<String, byte[]> record, String code, String message) {
    static Rejected of(ConsumerRecord<String, byte[]> record, LedgerException e) {
      return new Rejected(record, e.code(), e.getMessage());
    }
  }

  /** Writes every rejected record and waits until the broker has them all. */
  void send(List<Rejected> rejected) {
    if (rejected.isEmpty()) {
      return;
    }
    if (producer == null) {
      rejected.forEach(r -> LOG.warn("replay: rejected {}-{}@{}: {} {}", r.record().topic(), r.record().partition(),
          r.record().offset(), r.code(), r.message()));
      count.addAndGet(rejected.size());
      return;
    }
    List<Future<RecordMetadata>> acks = new ArrayList<>();
    for (Rejected r : rejected) {
      ConsumerRecord<String, byte[]> in = r.record();
      byte[] key = in.key() == null ? null : in.key().getBytes(java.nio.charset.StandardCharsets.UTF_8);
      acks.add(producer.send(new ProducerRecord<>(topic, null, key, in.value(),
          DeadLetter.headers(r.code(), r.message(), in.topic(), in.partition(), in.offset()))));
    }
    try {
      for (Future<RecordMetadata> ack : acks) {
        ack.get();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while writing dead letters", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("cannot write dead letters to " + topic + ": " + e.getCause(), e.getCause());
    }
    count.addAndGet(rejected.size());
  }

  long count() {
    return count.get();
  }

  @Override
  public void close() {
    if (producer != null) {
      producer.close();
    }
  }
}
