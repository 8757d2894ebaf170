package dev.ledger.projector.streams;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.streams.StreamsConfig;

/**
 * Everything the Streams app needs, validated in one place: which cluster, which application id (the consumer
 * group and the prefix of internal topics), where state lives, which topics, and the timing rules.
 * {@code replicationFactor} is for the internal topics (1 on a one-broker dev cluster).
 */
public record StreamsSettings(
    String applicationId,
    String bootstrapServers,
    Path stateDir,
    StreamsTopics topics,
    Rules rules,
    int threads,
    int replicationFactor) {

  /** The application id of the production app. */
  public static final String APPLICATION_ID = "ledger-streams";

  /**
   * Timing rules. {@code maxFutureSkew} and {@code dedupeWindow} are the evidence chain rule's 2 and 15 minutes;
   * {@code recencyCheck} is how often eligibility is re-evaluated on the wall clock; {@code pendingTimeout} is how
   * long evidence of a not-yet-registered appliance waits for its registration before it is dead-lettered;
   * {@code housekeeping} is how often expired dedupe and pending entries are swept.
   */
  public record Rules(
      Duration maxFutureSkew,
      Duration dedupeWindow,
      Duration recencyCheck,
      Duration pendingTimeout,
      Duration housekeeping) {

    public static final Rules DEFAULT = new Rules(Duration.ofMinutes(2), Duration.ofMinutes(15),
        Duration.ofMinutes(1), Duration.ofHours(1), Duration.ofMinutes(1));

    public Rules {
      for (Duration d : new Duration[] {maxFutureSkew, dedupeWindow, recencyCheck, pendingTimeout, housekeeping}) {
        if (d == null || d.isNegative()) {
          throw new IllegalArgumentException("streams rule durations must be present and not negative: " + d);
        }
      }
      if (recencyCheck.isZero() || housekeeping.isZero()) {
        throw new IllegalArgumentException("punctuation intervals must be positive");
      }
    }
  }

  public StreamsSettings {
    if (applicationId == null || !applicationId.matches("[A-Za-z0-9._-]+")) {
      throw new IllegalArgumentException("application id must be letters, digits, '.', '_' or '-': " + applicationId);
    }
    if (bootstrapServers == null || bootstrapServers.isBlank()) {
      throw new IllegalArgumentException("bootstrap servers are required");
    }
    Objects.requireNonNull(stateDir, "stateDir");
    Objects.requireNonNull(topics, "topics");
    Objects.requireNonNull(rules, "rules");
    if (threads < 1 || replicationFactor < 1) {
      throw new IllegalArgumentException("threads and replication factor must be at least 1");
    }
  }

  /** The production app on this cluster, keeping its state under {@code stateDir}. */
  public static StreamsSettings defaults(String bootstrapServers, Path stateDir) {
    return new StreamsSettings(APPLICATION_ID, bootstrapServers, stateDir, StreamsTopics.catalogue(),
        Rules.DEFAULT, 1, 1);
  }

  public StreamsSettings withApplicationId(String id) {
    return new StreamsSettings(id, bootstrapServers, stateDir, topics, rules, threads, replicationFactor);
  }

  public StreamsSettings withTopics(StreamsTopics newTopics) {
    return new StreamsSettings(applicationId, bootstrapServers, stateDir, newTopics, rules, threads,
        replicationFactor);
  }

  public StreamsSettings withRules(Rules newRules) {
    return new StreamsSettings(applicationId, bootstrapServers, stateDir, topics, newRules, threads,
        replicationFactor);
  }

  public StreamsSettings withThreads(int n) {
    return new StreamsSettings(applicationId, bootstrapServers, stateDir, topics, rules, n, replicationFactor);
  }

  /** The Kafka Streams configuration of these settings. */
  public Properties toProperties() {
    Properties p = new Properties();
    p.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
    p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    p.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toAbsolutePath().toString());
    // Exactly once: state, outputs and input offsets commit in one transaction; consumers read_committed.
    p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
    // Internal changelog and repartition topics; 1 on a one-broker dev cluster.
    p.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, replicationFactor);
    p.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, threads);
    // Registry and evidence share one task per partition; wait briefly for the other topic's data so records are
    // interleaved by timestamp, which lets most registrations arrive before the evidence they sign.
    p.put(StreamsConfig.MAX_TASK_IDLE_MS_CONFIG, 2_000L);
    // Every topic we read is new to this group: start from the beginning of the ledger, never from its end.
    p.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
    return p;
  }
}
