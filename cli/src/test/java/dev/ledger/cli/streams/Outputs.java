package dev.ledger.cli.streams;

import dev.ledger.projector.streams.StreamsTopics;
import dev.ledger.testkit.Await;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TransactionListing;
import org.apache.kafka.clients.admin.TransactionState;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * What a Streams app wrote, read so that nothing is missed: first wait until the app's group has committed past
 * the end of every input (and of its own repartition topics) and no transaction is open on any output (last
 * stable offset = high watermark), then read each output with read_committed from the beginning to that end.
 *
 * <p>Reading "until n records arrived" instead, or to the end offsets of a read_committed consumer while a
 * transaction is still open (a killed instance's, aborted only when its transaction times out), reads to a
 * stale last stable offset and misses committed records that sit behind the open transaction.
 */
final class Outputs {
  private static final List<String> REPARTITIONS = List.of("pattern-by-signature", "flap-by-incident-type");

  private final String bootstrap;
  private final String group;
  private final StreamsTopics topics;

  Outputs(String bootstrap, String group, StreamsTopics topics) {
    this.bootstrap = bootstrap;
    this.group = group;
    this.topics = topics;
  }

  /** Waits until at least {@code n} sealed bundles are committed (progress, not a result). */
  void awaitSealed(int n, Duration timeout) throws Exception {
    try (Admin admin = admin()) {
      Await.until("at least " + n + " sealed bundles committed", timeout, unchecked(() ->
          sum(ends(admin, List.of(topics.sealedEvidence()), IsolationLevel.READ_COMMITTED)) >= n));
    }
  }

  /** Waits until the group is past every input and no output has an open transaction; fails with the details. */
  void awaitSettled(Duration timeout, List<StreamsProcess> processes) throws Exception {
    List<String> inputs = new ArrayList<>(List.of(topics.registry(), topics.evidence(), topics.incidents()));
    REPARTITIONS.forEach(r -> inputs.add(group + "-" + r + "-repartition"));
    List<String> outputs = List.of(topics.sealedEvidence(), topics.patternStats(), topics.promotionEligibility(),
        topics.flapStats(), topics.deadLetter());
    AtomicReference<String> state = new AtomicReference<>("");
    try (Admin admin = admin()) {
      Await.until(() -> "the app to settle\n" + state.get() + "\nopen transactions: " + openTransactionsOf(admin)
          + "\n" + processes.stream().map(StreamsProcess::tail).collect(Collectors.joining("\n")),
          timeout, unchecked(() -> {
            // Ends first: committed offsets read afterwards can only be further on.
            Map<TopicPartition, Long> inputEnds = ends(admin, inputs, IsolationLevel.READ_UNCOMMITTED);
            Map<TopicPartition, Long> stable = ends(admin, outputs, IsolationLevel.READ_COMMITTED);
            Map<TopicPartition, Long> high = ends(admin, outputs, IsolationLevel.READ_UNCOMMITTED);
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                .partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS);
            Map<TopicPartition, String> behind = new TreeMap<>(Outputs::compare);
            inputEnds.forEach((tp, end) -> {
              long at = committed.containsKey(tp) ? committed.get(tp).offset() : 0;
              // A transactional topic (repartition) ends with a commit marker after its last record.
              boolean transactional = tp.topic().startsWith(group);
              if (at < (transactional && end > 0 ? end - 1 : end)) {
                behind.put(tp, "committed " + at + " of " + end);
              }
            });
            Map<TopicPartition, String> open = new TreeMap<>(Outputs::compare);
            high.forEach((tp, hw) -> {
              if (!stable.get(tp).equals(hw)) {
                open.put(tp, "stable " + stable.get(tp) + " < high watermark " + hw);
              }
            });
            state.set("inputs behind: " + behind + "\noutputs with an open transaction: " + open);
            return behind.isEmpty() && open.isEmpty();
          }));
    }
  }

  /** A condition that may throw, for {@link Await}: a checked exception fails the wait at once. */
  private static BooleanSupplier unchecked(Callable<Boolean> condition) {
    return () -> {
      try {
        return condition.call();
      } catch (RuntimeException e) {
        throw e;
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    };
  }

  /** Every committed record of the topic, in partition order (call after {@link #awaitSettled}). */
  List<ConsumerRecord<String, byte[]>> readAll(String topic) throws Exception {
    Map<TopicPartition, Long> ends;
    try (Admin admin = admin()) {
      ends = ends(admin, List.of(topic), IsolationLevel.READ_COMMITTED);
    }
    List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
    try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
        ConsumerConfig.GROUP_ID_CONFIG, "it-read-" + UUID.randomUUID(),
        ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
        ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"), new StringDeserializer(),
        new ByteArrayDeserializer())) {
      consumer.assign(ends.keySet());
      consumer.seekToBeginning(ends.keySet());
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (ends.entrySet().stream().anyMatch(e -> consumer.position(e.getKey()) < e.getValue())) {
        if (System.nanoTime() > deadline) {
          throw new AssertionError("could not read " + topic + " to " + ends);
        }
        consumer.poll(Duration.ofMillis(200)).forEach(records::add);
      }
    }
    return records;
  }

  private String openTransactionsOf(Admin admin) {
    try {
      return openTransactions(admin);
    } catch (Exception e) {
      return "(cannot list: " + e + ")";
    }
  }

  private String openTransactions(Admin admin) throws Exception {
    List<String> ids = admin.listTransactions().all().get(30, TimeUnit.SECONDS).stream()
        .filter(t -> t.state() == TransactionState.ONGOING || t.state() == TransactionState.PREPARE_ABORT
            || t.state() == TransactionState.PREPARE_COMMIT)
        .map(TransactionListing::transactionalId).toList();
    if (ids.isEmpty()) {
      return "none";
    }
    return admin.describeTransactions(ids).all().get(30, TimeUnit.SECONDS).toString();
  }

  private static Map<TopicPartition, Long> ends(Admin admin, List<String> names, IsolationLevel isolation)
      throws Exception {
    Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
    admin.describeTopics(names).allTopicNames().get(30, TimeUnit.SECONDS).forEach((name, d) ->
        d.partitions().forEach(p -> latest.put(new TopicPartition(name, p.partition()), OffsetSpec.latest())));
    return admin.listOffsets(latest, new ListOffsetsOptions(isolation)).all().get(30, TimeUnit.SECONDS)
        .entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
  }

  private static long sum(Map<TopicPartition, Long> offsets) {
    return offsets.values().stream().mapToLong(Long::longValue).sum();
  }

  private static int compare(TopicPartition x, TopicPartition y) {
    int byTopic = x.topic().compareTo(y.topic());
    return byTopic != 0 ? byTopic : Integer.compare(x.partition(), y.partition());
  }

  private Admin admin() {
    return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap));
  }
}
