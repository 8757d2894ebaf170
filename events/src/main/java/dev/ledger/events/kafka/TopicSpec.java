package dev.ledger.events.kafka;

import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.NewTopic;

/**
 * A topic of the catalogue: its kebab-case name, partition count, topic configs, and what its key and value are
 * (in words, for readers). The replication factor is the broker's default.
 */
public record TopicSpec(String name, int partitions, Map<String, String> configs, String key, String value) {

  private static final Pattern KEBAB = Pattern.compile("[a-z][a-z0-9]*(-[a-z0-9]+)*");

  public TopicSpec {
    if (name == null || !KEBAB.matcher(name).matches()) {
      throw new IllegalArgumentException("topic names are kebab-case: " + name);
    }
    if (partitions < 1) {
      throw new IllegalArgumentException(name + " needs at least one partition");
    }
    configs = Map.copyOf(configs);
    if (key == null || key.isBlank() || value == null || value.isBlank()) {
      throw new IllegalArgumentException(name + " must say what its key and value are");
    }
  }

  /** The admin-client request that creates this topic. */
  public NewTopic toNewTopic() {
    return new NewTopic(name, Optional.of(partitions), Optional.empty()).configs(configs);
  }
}
