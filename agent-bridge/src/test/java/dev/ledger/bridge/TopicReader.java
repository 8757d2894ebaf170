package dev.ledger.bridge;

import dev.ledger.events.Envelope;
import dev.ledger.events.EventSerde;
import dev.ledger.events.EvidenceSubmitted;
import dev.ledger.events.crypto.Signing;
import dev.ledger.events.kafka.Topics;
import java.security.PublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/** Reads the ledger topics from the beginning and collects one site's records until the expected ones are seen. */
final class TopicReader {
  record Seen(Set<String> eventIds, int records, int badSignatures, Set<Instant> evidenceCheckedAt, Set<String> keys) {
  }

  private TopicReader() {
  }

  static Seen read(String bootstrap, String site, Set<String> expected, PublicKey key) {
    Map<String, Object> props = Map.of(
        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
        ConsumerConfig.GROUP_ID_CONFIG, "reader-" + UUID.randomUUID(),
        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
        ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    Set<String> ids = new HashSet<>();
    Set<Instant> checkedAt = new HashSet<>();
    Set<String> keys = new HashSet<>();
    int records = 0;
    int bad = 0;
    try (KafkaConsumer<String, byte[]> consumer =
        new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer())) {
      consumer.subscribe(List.of(Topics.INCIDENT_EVENTS.name(), Topics.EVIDENCE_EVENTS.name(),
          Topics.REGISTRY_EVENTS.name()));
      long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
      while (!ids.containsAll(expected) && System.nanoTime() < deadline) {
        for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(500))) {
          Envelope e = EventSerde.deserialize(r.value());
          if (!site.equals(e.siteId())) {
            continue;
          }
          records++;
          ids.add(e.eventId().toString());
          keys.add(r.key());
          if (!Signing.verify(r.value(), key)) {
            bad++;
          }
          if (e.payload() instanceof EvidenceSubmitted s) {
            checkedAt.add(s.checkedAt());
          }
        }
      }
    }
    return new Seen(ids, records, bad, checkedAt, keys);
  }

  static List<String> missing(Set<String> expected, Seen seen) {
    List<String> out = new ArrayList<>(expected);
    out.removeAll(seen.eventIds());
    return out;
  }
}
