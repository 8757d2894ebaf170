package dev.ledger.bridge;

import dev.ledger.events.kafka.TopicAdmin;
import dev.ledger.events.kafka.Topics;
import dev.ledger.testkit.SharedInfra;
import java.time.Duration;
import org.apache.kafka.clients.admin.Admin;

/** The shared test broker with the ledger topics created. */
final class Broker {
  private static boolean ready;

  private Broker() {
  }

  static synchronized String bootstrap() {
    if (!ready) {
      try (Admin admin = SharedInfra.kafka().admin()) {
        TopicAdmin.ensureTopics(admin, Topics.all(), Duration.ofSeconds(60));
      }
      ready = true;
    }
    return SharedInfra.kafka().bootstrapServers();
  }
}
