package dev.ledger.api.health;

import java.util.Collection;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.Node;

/** Kafka is up when the cluster answers a metadata request and every expected topic exists. */
public final class KafkaHealth implements HealthCheck {
  private final Admin admin;
  private final String bootstrapServers;
  private final Collection<String> expectedTopics;

  public KafkaHealth(Admin admin, String bootstrapServers, Collection<String> expectedTopics) {
    this.admin = admin;
    this.bootstrapServers = bootstrapServers;
    this.expectedTopics = expectedTopics;
  }

  @Override
  public ComponentHealth check() {
    try {
      Collection<Node> nodes = admin.describeCluster().nodes().get(3, TimeUnit.SECONDS);
      var topics = admin.listTopics().names().get(3, TimeUnit.SECONDS);
      var missing = expectedTopics.stream().filter(t -> !topics.contains(t)).sorted().toList();
      if (!missing.isEmpty()) {
        return ComponentHealth.down("missing topics " + missing + " at " + bootstrapServers);
      }
      return ComponentHealth.up(bootstrapServers,
          Map.of("bootstrap_servers", bootstrapServers, "brokers", nodes.size(), "topics", expectedTopics.size()));
    } catch (Exception e) {
      return ComponentHealth.down("Kafka at " + bootstrapServers + " did not answer: " + e.getMessage());
    }
  }
}
