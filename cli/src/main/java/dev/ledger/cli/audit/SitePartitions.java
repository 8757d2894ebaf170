package dev.ledger.cli.audit;

import dev.ledger.embedded.InfrastructureException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Consumer;
import java.util.function.LongConsumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.utils.Utils;

/**
 * Reads one site's partition of some topics, from the beginning up to given offsets, with no consumer group.
 * Fleet events are keyed by site id, so the partition is the default partitioner's choice for that key: murmur2 of
 * the key's UTF-8 bytes, made positive, modulo the topic's partition count. Reads committed records only.
 */
final class SitePartitions implements AutoCloseable {
  private static final Duration TIMEOUT = Duration.ofSeconds(15);

  private final KafkaConsumer<String, byte[]> consumer;
  private final String siteId;
  private final Map<TopicPartition, Long> position = new LinkedHashMap<>();

  private SitePartitions(KafkaConsumer<String, byte[]> consumer, String siteId) {
    this.consumer = consumer;
    this.siteId = siteId;
  }

  /** A reader of {@code siteId}'s partition of each topic, positioned at their beginnings. */
  static SitePartitions open(String bootstrapServers, String siteId, List<String> topics) {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    // Only what producers committed: the derived topics are written by exactly-once transactions.
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    // A replay reads a partition end to end: large fetches.
    props.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 4 * 1024 * 1024);
    props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5_000);
    // Fail fast instead of retrying for minutes when the cluster does not answer.
    props.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis());
    KafkaConsumer<String, byte[]> consumer =
        new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
    SitePartitions reader = new SitePartitions(consumer, siteId);
    try {
      for (String topic : topics) {
        List<PartitionInfo> infos = consumer.partitionsFor(topic, TIMEOUT);
        if (infos == null || infos.isEmpty()) {
          throw new InfrastructureException("topic " + topic + " does not exist on " + bootstrapServers);
        }
        reader.position.put(new TopicPartition(topic, partitionFor(siteId, infos.size())), 0L);
      }
      consumer.assign(reader.position.keySet());
      consumer.seekToBeginning(reader.position.keySet());
      for (TopicPartition tp : reader.position.keySet()) {
        reader.position.put(tp, consumer.position(tp, TIMEOUT));
      }
      return reader;
    } catch (KafkaException e) {
      consumer.close();
      throw new InfrastructureException("Kafka at " + bootstrapServers + " does not answer: " + e.getMessage(), e);
    } catch (RuntimeException e) {
      consumer.close();
      throw e;
    }
  }

  /** The partition the default partitioner gives a record keyed by {@code siteId}. */
  static int partitionFor(String siteId, int partitions) {
    return Utils.toPositive(Utils.murmur2(siteId.getBytes(StandardCharsets.UTF_8))) % partitions;
  }

  /** The end offsets (last stable offsets) of the site's partitions now. */
  Map<TopicPartition, Long> endOffsets() {
    try {
      return new LinkedHashMap<>(consumer.endOffsets(position.keySet(), TIMEOUT));
    } catch (KafkaException e) {
      throw new InfrastructureException("cannot read end offsets: " + e.getMessage(), e);
    }
  }

  /** Where each partition will be read next. */
  Map<TopicPartition, Long> positions() {
    return Map.copyOf(position);
  }

  /**
   * Hands every record before {@code until} (per partition) to {@code sink}, in partition order, and calls
   * {@code progress} with the count read so far now and then.
   */
  void readTo(Map<TopicPartition, Long> until, Consumer<ConsumerRecord<String, byte[]>> sink,
      LongConsumer progress) {
    long read = 0;
    long lastReport = System.nanoTime();
    // An earlier read may have fetched past its bound: go back to where that read stopped.
    position.forEach(consumer::seek);
    while (position.entrySet().stream().anyMatch(e -> e.getValue() < until.getOrDefault(e.getKey(), 0L))) {
      List<TopicPartition> active = position.entrySet().stream()
          .filter(e -> e.getValue() < until.getOrDefault(e.getKey(), 0L)).map(Map.Entry::getKey).toList();
      consumer.resume(active);
      consumer.pause(position.keySet().stream().filter(tp -> !active.contains(tp)).toList());
      for (ConsumerRecord<String, byte[]> r : poll()) {
        TopicPartition tp = new TopicPartition(r.topic(), r.partition());
        if (r.offset() < until.get(tp)) {
          sink.accept(r);
          read++;
        }
      }
      for (TopicPartition tp : active) {
        // Past transaction markers and aborted records too: the position, not the last record, says where we are.
        position.put(tp, Math.min(until.get(tp), consumer.position(tp, TIMEOUT)));
      }
      if (System.nanoTime() - lastReport > 250_000_000L) {
        progress.accept(read);
        lastReport = System.nanoTime();
      }
    }
    progress.accept(read);
  }

  private Iterable<ConsumerRecord<String, byte[]>> poll() {
    try {
      return consumer.poll(Duration.ofMillis(500));
    } catch (KafkaException e) {
      throw new InfrastructureException("reading site " + siteId + " failed: " + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    consumer.close();
  }
}
