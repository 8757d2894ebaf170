package dev.ledger.projector.streams;

import dev.ledger.events.rules.EvidenceChain;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.StreamsConfig;

/**
 * Everything the Streams app needs, validated in one place: which cluster, which application id (the consumer
 * group and the prefix of internal topics), where state lives, which topics, and the timing rules.
 * {@code replicationFactor} is for the internal topics (1 on a one-broker dev cluster). {@code sessionTimeout} is
 * how long the group waits for a silent instance (killed, or cut off) before its partitions move to the others.
 */
public record StreamsSettings(
    String applicationId,
    String bootstrapServers,
    Path stateDir,
    StreamsTopics topics,
    Rules rules,
    int threads,
    int replicationFactor,
    Duration sessionTimeout) {

  /** The application id of the production app. */
  public static final String APPLICATION_ID = "ledger-streams";
  /** Kafka's consumer default: an instance that stops heartbeating loses its partitions after this long. */
  public static final Duration DEFAULT_SESSION_TIMEOUT = Duration.ofSeconds(45);
  /** The broker's default {@code group.min.session.timeout.ms}. */
  static final Duration MIN_SESSION_TIMEOUT = Duration.ofSeconds(6);
  /** How often state, outputs and input offsets commit: outputs become visible to read_committed readers then. */
  public static final Duration COMMIT_INTERVAL = Duration.ofSeconds(1);

  /**
   * Timing rules. {@code maxFutureSkew} and {@code dedupeWindow} default to the evidence chain rule's
   * ({@link EvidenceChain#MAX_FUTURE_SKEW}, {@link EvidenceChain#DEDUPE_WINDOW}); tests shorten them;
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

    public static final Rules DEFAULT = new Rules(EvidenceChain.MAX_FUTURE_SKEW, EvidenceChain.DEDUPE_WINDOW,
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
    if (sessionTimeout == null || sessionTimeout.compareTo(MIN_SESSION_TIMEOUT) < 0) {
      throw new IllegalArgumentException("session timeout must be at least " + MIN_SESSION_TIMEOUT.toSeconds()
          + " s (the broker's minimum): " + sessionTimeout);
    }
  }

  /** The production app on this cluster, keeping its state under {@code stateDir}. */
  public static StreamsSettings defaults(String bootstrapServers, Path stateDir) {
    return new StreamsSettings(APPLICATION_ID, bootstrapServers, stateDir, StreamsTopics.catalogue(),
        Rules.DEFAULT, 1, 1, DEFAULT_SESSION_TIMEOUT);
  }

  public StreamsSettings withApplicationId(String id) {
    return new StreamsSettings(id, bootstrapServers, stateDir, topics, rules, threads, replicationFactor,
        sessionTimeout);
  }

  public StreamsSettings withTopics(StreamsTopics newTopics) {
    return new StreamsSettings(applicationId, bootstrapServers, stateDir, newTopics, rules, threads,
        replicationFactor, sessionTimeout);
  }

  public StreamsSettings withRules(Rules newRules) {
    return new StreamsSettings(applicationId, bootstrapServers, stateDir, topics, newRules, threads,
        replicationFactor, sessionTimeout);
  }

  public StreamsSettings withThreads(int n) {
    return new StreamsSettings(applicationId, bootstrapServers, stateDir, topics, rules, n, replicationFactor,
        sessionTimeout);
  }

  /**
   * How often changed pattern stats are published and fleet deltas handed on: the commit interval, so each commit
   * carries about one publication of each changed pattern.
   */
  public Duration publishInterval() {
    return COMMIT_INTERVAL;
  }

  /** The Kafka Streams configuration of these settings. */
  public Properties toProperties() {
    Properties p = new Properties();
    p.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
    p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    p.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toAbsolutePath().toString());
    // Exactly once: state, outputs and input offsets commit in one transaction; consumers read_committed.
    p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
    // No global stores here; the default from Kafka 5.0 on.
    p.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG, true);
    // Internal changelog and repartition topics; 1 on a one-broker dev cluster.
    p.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, replicationFactor);
    p.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, threads);
    // Registry and evidence share one task per partition; wait briefly for the other topic's data so records are
    // interleaved by timestamp, which lets most registrations arrive before the evidence they sign.
    p.put(StreamsConfig.MAX_TASK_IDLE_MS_CONFIG, 2_000L);
    // Every topic we read is new to this group: start from the beginning of the ledger, never from its end.
    p.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
    // Under exactly-once every commit flushes the producer, sends the offsets and ends a transaction whose markers
    // go to every partition it touched; the first sends of the next one wait (CONCURRENT_TRANSACTIONS) until those
    // markers are written. With the EOS default of 100 ms the stream threads spent about 30% of their time parked
    // there in the pattern-stats bench (JFR); once a second still shows outputs to read_committed readers within
    // about a second.
    p.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, COMMIT_INTERVAL.toMillis());
    // The store caches absorb a second of updates to hot keys (site and fleet stats) so that each commit writes
    // each key's changelog record once; the default 10 MiB is shared by all threads.
    p.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, 64L * 1024 * 1024);
    // Larger batches per partition within a transaction; linger as the bridge's producer.
    p.put(StreamsConfig.producerPrefix(ProducerConfig.BATCH_SIZE_CONFIG), 128 * 1024);
    p.put(StreamsConfig.producerPrefix(ProducerConfig.LINGER_MS_CONFIG), 5);
    // A send that meets the previous transaction's markers still being written is retried after 20 ms rather
    // than the default 100 ms (the same short back-off the client uses for that error when adding partitions).
    p.put(StreamsConfig.producerPrefix(ProducerConfig.RETRY_BACKOFF_MS_CONFIG), 20L);
    // How soon the partitions of a dead instance move to the live ones (heartbeats every third of it).
    p.put(StreamsConfig.consumerPrefix(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG), (int) sessionTimeout.toMillis());
    p.put(StreamsConfig.consumerPrefix(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG),
        (int) Math.min(3_000, sessionTimeout.toMillis() / 3));
    return p;
  }
}
