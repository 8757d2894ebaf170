package dev.ledger.projector.tables;

import dev.ledger.testkit.SharedInfra;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.jdbi.v3.core.Jdbi;

/** How far the projections in a database have read, compared with the topics' ends; and table checksums. */
final class Progress {
  static final List<String> TABLES = List.of("partners", "client_orgs", "sites", "appliances", "incidents",
      "flap_suppressions", "orders", "pattern_stats", "compliance_snapshots", "evidence_bundles",
      "evidence_submissions", "evidence_seals", "evidence_log_nodes", "evidence_log_heads", "evidence_envelopes");

  private Progress() {
  }

  /** Offsets stored, summed over every projection and partition. */
  static long stored(Jdbi jdbi) {
    return jdbi.withHandle(h -> h.createQuery("SELECT coalesce(sum(next_offset), 0) FROM projector_offsets")
        .mapTo(Long.class).one());
  }

  /** True when every projection has stored the end offset of every partition of its topics. */
  static boolean caughtUp(Jdbi jdbi, ProjectorTopics topics) {
    Map<String, Long> ends = ends(topics);
    for (Projection p : Projections.selected(List.of())) {
      for (String topic : p.topics(topics)) {
        long stored = jdbi.withHandle(h -> h.createQuery(
            "SELECT coalesce(sum(next_offset), 0) FROM projector_offsets WHERE projection = ? AND topic = ?")
            .bind(0, p.name()).bind(1, topic).mapTo(Long.class).one());
        if (stored != ends.getOrDefault(topic, 0L)) {
          return false;
        }
      }
    }
    return true;
  }

  /** Sum of end offsets (read-committed) per topic. */
  static Map<String, Long> ends(ProjectorTopics topics) {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedInfra.kafka().bootstrapServers());
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    Map<String, Long> out = new TreeMap<>();
    try (KafkaConsumer<byte[], byte[]> c =
        new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      for (String topic : read(topics)) {
        List<TopicPartition> parts = new ArrayList<>();
        for (PartitionInfo info : c.partitionsFor(topic, Duration.ofSeconds(10))) {
          parts.add(new TopicPartition(topic, info.partition()));
        }
        out.put(topic, c.endOffsets(parts, Duration.ofSeconds(10)).values().stream().mapToLong(Long::longValue)
            .sum());
      }
    }
    return out;
  }

  /**
   * The records the projections apply to reach the topics' ends, summed over the projections: a topic read by two
   * projections (the evidence topics feed both the evidence tables and the Merkle log) counts once for each.
   */
  static long recordsToApply(ProjectorTopics topics) {
    Map<String, Long> ends = ends(topics);
    long total = 0;
    for (Projection p : Projections.selected(List.of())) {
      for (String topic : p.topics(topics)) {
        total += ends.getOrDefault(topic, 0L);
      }
    }
    return total;
  }

  /** Every topic some projection reads. */
  private static Set<String> read(ProjectorTopics topics) {
    Set<String> read = new TreeSet<>();
    Projections.selected(List.of()).forEach(p -> read.addAll(p.topics(topics)));
    return read;
  }

  /** md5 of every row's text, in a fixed order, per projection table; and the row count. */
  static Map<String, String> checksums(Jdbi jdbi) {
    Map<String, String> sums = new TreeMap<>();
    jdbi.useHandle(h -> {
      for (String table : TABLES) {
        sums.put(table, h.createQuery("SELECT count(*) || ':' || coalesce(md5(string_agg(t::text, '|' "
            + "ORDER BY t::text)), '-') FROM " + table + " t").mapTo(String.class).one());
      }
    });
    return sums;
  }
}
