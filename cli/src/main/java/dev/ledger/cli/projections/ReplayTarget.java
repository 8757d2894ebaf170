package dev.ledger.cli.projections;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/** Where a full replay ends: the read-committed end offset of every partition the projections read. */
final class ReplayTarget {
  private ReplayTarget() {
  }

  /** The read-committed end offset of every partition of {@code topics}. */
  static Map<TopicPartition, Long> ends(String bootstrapServers, Collection<String> topics) {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    // The projectors read committed records only; their end is the last stable offset.
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    Map<TopicPartition, Long> ends = new HashMap<>();
    try (KafkaConsumer<byte[], byte[]> c =
        new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      for (String topic : new LinkedHashSet<>(topics)) {
        List<TopicPartition> parts = new ArrayList<>();
        for (PartitionInfo info : c.partitionsFor(topic, Duration.ofSeconds(15))) {
          parts.add(new TopicPartition(topic, info.partition()));
        }
        ends.putAll(c.endOffsets(parts, Duration.ofSeconds(15)));
      }
    }
    return ends;
  }
}
