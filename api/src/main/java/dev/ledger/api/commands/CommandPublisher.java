package dev.ledger.api.commands;

import dev.ledger.events.Envelope;
import dev.ledger.events.EventSerde;
import dev.ledger.events.kafka.Topics;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Publishes command events to their ledger topic, keyed by site ({@link Topics#record}), and returns only once
 * the broker has them durably (all in-sync replicas). One producer per API process, shared by every request.
 */
final class CommandPublisher implements AutoCloseable {
  private final KafkaProducer<String, byte[]> producer;
  private final Duration timeout;

  CommandPublisher(String bootstrapServers, Duration timeout) {
    this.timeout = timeout;
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    props.put(ProducerConfig.CLIENT_ID_CONFIG, "ledger-api-commands");
    // A 202 promises the command is on the ledger: every in-sync replica has it, and a retry never duplicates
    // or reorders it (the expiry sweep and acknowledgements of one order share a partition).
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    // A caller waits for the answer: give up within the request's budget and say 503, not after two minutes.
    props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
    props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) Math.min(timeout.toMillis(), 5_000));
    props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, timeout.toMillis());
    // Commands are single records that someone waits for: send at once rather than batch.
    props.put(ProducerConfig.LINGER_MS_CONFIG, 0);
    producer = new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
  }

  /** Publishes the envelope and waits for the broker's acknowledgement; {@link Unavailable} if it does not come. */
  RecordMetadata publish(Envelope envelope) {
    ProducerRecord<String, Envelope> target = Topics.record(envelope);
    ProducerRecord<String, byte[]> record =
        new ProducerRecord<>(target.topic(), target.key(), EventSerde.serialize(envelope));
    try {
      return producer.send(record).get(timeout.toMillis() + 1_000, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new Unavailable("interrupted while publishing " + envelope.type() + " " + envelope.eventId());
    } catch (ExecutionException | TimeoutException | KafkaException e) {
      Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
      throw new Unavailable("the ledger did not confirm the " + envelope.type() + " event " + envelope.eventId()
          + " within " + timeout.toSeconds() + " s (" + cause.getClass().getSimpleName() + "); it is most likely "
          + "not recorded: check before you send the command again");
    }
  }

  @Override
  public void close() {
    producer.close(Duration.ofSeconds(5));
  }
}
