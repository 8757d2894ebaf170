package dev.ledger.events.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ledger.testkit.SharedInfra;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.junit.jupiter.api.Test;

/** Given a real broker, the catalogue is created once, with its partitions and retention, and checked. */
class TopicAdminIT {
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  @Test
  void createsTheCatalogueOnceWithItsPartitionsAndConfigs() throws Exception {
    List<TopicSpec> specs = Topics.all().stream()
        .map(t -> new TopicSpec("topic-admin-it-" + t.name(), t.partitions(), t.configs(), t.key(), t.value()))
        .toList();
    try (Admin admin = SharedInfra.kafka().admin()) {
      assertThat(TopicAdmin.ensureTopics(admin, specs, TIMEOUT))
          .containsExactlyInAnyOrderElementsOf(specs.stream().map(TopicSpec::name).toList());
      assertThat(TopicAdmin.ensureTopics(admin, specs, TIMEOUT)).isEmpty();

      Map<String, TopicDescription> described =
          admin.describeTopics(specs.stream().map(TopicSpec::name).toList()).allTopicNames().get();
      for (TopicSpec spec : specs) {
        assertThat(described.get(spec.name()).partitions()).as(spec.name()).hasSize(spec.partitions());
      }
      assertThat(TopicAdmin.configDifferences(admin, specs, TIMEOUT)).isEmpty();
    }
  }

  @Test
  void aLedgerTopicMadeElsewhereWithFiniteRetentionIsReported() throws Exception {
    TopicSpec ledger = new TopicSpec("topic-admin-it-short-lived", 1, Topics.FOREVER, "site_id", "Envelope");
    try (Admin admin = SharedInfra.kafka().admin()) {
      admin.createTopics(List.of(new NewTopic(ledger.name(), 1, (short) 1)
          .configs(Map.of("retention.ms", "86400000")))).all().get();
      assertThat(TopicAdmin.ensureTopics(admin, List.of(ledger), TIMEOUT)).isEmpty();
      String differences = TopicAdmin.configDifferences(admin, List.of(ledger), TIMEOUT).stream()
          .collect(Collectors.joining("\n"));
      assertThat(differences).contains("topic-admin-it-short-lived: retention.ms is 86400000");
    }
  }
}
