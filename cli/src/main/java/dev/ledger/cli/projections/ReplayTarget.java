package dev.ledger.cli.projections;

import dev.ledger.projector.tables.ProjectorTopics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/** The number of records a full replay reads: the read-committed end offsets of every projected topic. */
final class ReplayTarget {
  private ReplayTarget() {
  }

  static long endOffsets(String bootstrapServers, ProjectorTopics topics) {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    // The projectors read committed records only; their end is the last stable offset.
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    long total = 0;
    try (KafkaConsumer<byte[], byte[]> c =
        new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      for (String topic : List.of(topics.registry(), topics.incidents(), topics.orders(), topics.evidence(),
          topics.sealedEvidence(), topics.patternStats())) {
        List<TopicPartition> parts = new ArrayList<>();
        for (PartitionInfo info : c.partitionsFor(topic, Duration.ofSeconds(15))) {
          parts.add(new TopicPartition(topic, info.partition()));
        }
        total += c.endOffsets(parts, Duration.ofSeconds(15)).values().stream().mapToLong(Long::longValue).sum();
      }
    }
    return total;
  }
}
