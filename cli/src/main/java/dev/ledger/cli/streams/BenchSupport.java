package dev.ledger.cli.streams;

import dev.ledger.events.kafka.TopicAdmin;
import dev.ledger.projector.streams.LedgerStreams;
import dev.ledger.projector.streams.StreamsSettings;
import dev.ledger.projector.streams.StreamsTopics;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Consumed;

/** What the Streams benchmarks share: fresh topics, a durable producer, a raw consume, and "caught up". */
final class BenchSupport {
  private static final Duration LIMIT = Duration.ofMinutes(3);

  private BenchSupport() {
  }

  /** Settings of a fresh app on fresh, prefixed topics (created here) with state under {@code workDir}. */
  static StreamsSettings freshApp(String bootstrap, Path workDir, String name) {
    String run = "bench-" + name + "-" + System.currentTimeMillis() + "-";
    StreamsSettings settings = new StreamsSettings(run + "app", bootstrap, workDir.resolve(run + "state"),
        StreamsTopics.prefixed(run), StreamsSettings.Rules.DEFAULT, 2, 1, StreamsSettings.DEFAULT_SESSION_TIMEOUT);
    try (Admin admin = admin(bootstrap)) {
      TopicAdmin.ensureTopics(admin, settings.topics().specs(), Duration.ofSeconds(30));
      awaitLeaders(admin, settings.topics().specs().stream().map(s -> s.name()).toList());
    } catch (Exception e) {
      throw new IllegalStateException("cannot prepare the benchmark topics: " + e.getMessage(), e);
    }
    return settings;
  }

  /** New topics answer NotLeaderOrFollower for a moment: wait until every partition has a leader. */
  private static void awaitLeaders(Admin admin, List<String> topics) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (System.nanoTime() < deadline) {
      boolean led = admin.describeTopics(topics).allTopicNames().get(30, TimeUnit.SECONDS).values().stream()
          .allMatch(d -> d.partitions().stream().allMatch(p -> p.leader() != null && !p.leader().isEmpty()));
      if (led) {
        return;
      }
      Thread.sleep(100);
    }
    throw new IllegalStateException("topics without a leader after 30 s: " + topics);
  }

  /** The number of records in a topic: the sum of its partitions' end offsets (no transactions on inputs). */
  static long recordCount(String bootstrap, String topic) throws Exception {
    try (Admin admin = admin(bootstrap)) {
      Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
      admin.describeTopics(List.of(topic)).allTopicNames().get(30, TimeUnit.SECONDS).get(topic).partitions()
          .forEach(p -> latest.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest()));
      return admin.listOffsets(latest).all().get(30, TimeUnit.SECONDS).values().stream()
          .mapToLong(r -> r.offset()).sum();
    }
  }

  static KafkaProducer<String, byte[]> producer(String bootstrap) {
    return new KafkaProducer<>(Map.of(
        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
        // Durable, as the agent bridge produces.
        ProducerConfig.ACKS_CONFIG, "all",
        ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
        // Same batching as the raw produce benchmark.
        ProducerConfig.LINGER_MS_CONFIG, 5,
        ProducerConfig.BATCH_SIZE_CONFIG, 64 * 1024), new StringSerializer(), new ByteArraySerializer());
  }

  static void produce(KafkaProducer<String, byte[]> producer, String topic, String key, byte[] value) {
    producer.send(new ProducerRecord<>(topic, key, value));
  }

  /** How long a run took: in all, and from when records started to flow (after the group join or start-up). */
  record Timing(Duration total, Duration flowing) {
    /** The time before records flowed (group join, start-up), as "1.2 s". */
    String before() {
      return String.format(Locale.ROOT, "%.1f s", total.minus(flowing).toMillis() / 1000.0);
    }
  }

  /** One plain consumer reading the whole topic from the start, as the raw limit. */
  static Timing rawConsume(String bootstrap, String topic, long count) {
    long start = System.nanoTime();
    long first = 0;
    long seen = 0;
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
        ConsumerConfig.GROUP_ID_CONFIG, "bench-raw-" + System.nanoTime(),
        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
        ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
        // Large fetches, as in the raw consume benchmark.
        ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000), new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      consumer.subscribe(List.of(topic));
      long deadline = System.nanoTime() + LIMIT.toNanos();
      while (seen < count && System.nanoTime() < deadline) {
        long before = System.nanoTime();
        int n = consumer.poll(Duration.ofMillis(200)).count();
        if (n > 0 && first == 0) {
          first = before; // the poll that brought the first records: the group join is behind
        }
        seen += n;
      }
    }
    if (seen < count) {
      throw new IllegalStateException("consumed " + seen + " of " + count + " records of " + topic);
    }
    long end = System.nanoTime();
    return new Timing(Duration.ofNanos(end - start), Duration.ofNanos(end - first));
  }

  /**
   * Starts the app and returns how long it took until its committed offsets reached the end of every input topic
   * and of the app's own repartition topics: in all, and from when the app was first RUNNING.
   */
  static Timing runUntilCaughtUp(StreamsSettings settings, Set<String> inputs, List<String> repartitions)
      throws Exception {
    long start = System.nanoTime();
    try (LedgerStreams app = LedgerStreams.start(settings); Admin admin = admin(settings.bootstrapServers())) {
      Set<String> topics = new java.util.HashSet<>(inputs);
      repartitions.forEach(r -> topics.add(settings.applicationId() + "-" + r + "-repartition"));
      return awaitCaughtUp(admin, settings.applicationId(), topics, start, app::firstRunningNanos, () ->
          !app.healthy() && !app.awaitRunning(Duration.ofSeconds(30)) ? "streams app failed: " + app.status() : null);
    }
  }

  /** What stopped an app, or null while it runs. */
  private interface Failure {
    String check() throws InterruptedException;
  }

  /**
   * Polls the group's committed offsets (the broker has nothing to wait on) until they reach the end of every topic;
   * the time from {@code start}, and from {@code flowingSince} (0 until known), when they do.
   */
  private static Timing awaitCaughtUp(Admin admin, String group, Set<String> topics, long start,
      java.util.function.LongSupplier flowingSince, Failure failure) throws Exception {
    long deadline = System.nanoTime() + LIMIT.toNanos();
    while (System.nanoTime() < deadline) {
      long since = flowingSince.getAsLong();
      if (since != 0 && caughtUp(admin, group, topics)) {
        long end = System.nanoTime();
        return new Timing(Duration.ofNanos(end - start), Duration.ofNanos(end - since));
      }
      String failed = failure.check();
      if (failed != null) {
        throw new IllegalStateException(failed);
      }
      Thread.sleep(50);
    }
    throw new IllegalStateException(group + " did not catch up within " + LIMIT);
  }

  /**
   * The floor of any exactly-once app on this machine: the same settings (EOS v2, threads, commit interval, client
   * tuning) under a fresh application id, running a topology that only reads {@code topic} (one no-op
   * {@code foreach}, no state, no outputs), until its committed offsets reach the end of the topic.
   */
  static Timing runEosFloor(StreamsSettings settings, String topic) throws Exception {
    return runEosFloor(settings, topic, "floor", (k, v) -> { });
  }

  /**
   * {@link #runEosFloor} with {@code perRecord} done to every record in the {@code foreach}, under the application
   * id suffix {@code name}: how far a step every record needs (reading its envelope) lowers that floor.
   */
  static Timing runEosFloor(StreamsSettings settings, String topic, String name,
      java.util.function.BiConsumer<byte[], byte[]> perRecord) throws Exception {
    StreamsBuilder builder = new StreamsBuilder();
    // From the first record processed, as the raw consumer is timed from the poll that brought its first records
    // (a stateless task may process before the client as a whole reports RUNNING).
    AtomicLong first = new AtomicLong();
    builder.stream(topic, Consumed.with(Serdes.ByteArray(), Serdes.ByteArray()))
        .foreach((k, v) -> {
          first.compareAndSet(0, System.nanoTime());
          perRecord.accept(k, v);
        });
    StreamsSettings floor = settings.withApplicationId(settings.applicationId() + "-" + name);
    long start = System.nanoTime();
    KafkaStreams streams = new KafkaStreams(builder.build(), floor.toProperties());
    try (Admin admin = admin(settings.bootstrapServers())) {
      streams.start();
      return awaitCaughtUp(admin, floor.applicationId(), Set.of(topic), start, first::get, () ->
          streams.state() == KafkaStreams.State.ERROR || streams.state() == KafkaStreams.State.NOT_RUNNING
              ? "the EOS " + name + " app stopped: " + streams.state() : null);
    } finally {
      closeSettled(streams, name);
    }
  }

  /**
   * Closes a floor app once its group has settled. The no-op floor reads everything on its first thread before the
   * second has joined; closed in the middle of that rebalance, the second thread went on polling in a busy loop
   * after {@code close} had given up (10 s), taking a core from every measurement after it, the next round's
   * pattern stats included (seen in thread dumps: ~27 s of CPU on one such thread). So: wait until RUNNING, close,
   * and fail the bench if a thread is still alive rather than measure beside it.
   */
  private static void closeSettled(KafkaStreams streams, String name) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (streams.state() == KafkaStreams.State.REBALANCING && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    long closing = System.nanoTime();
    if (!streams.close(Duration.ofSeconds(30))) {
      throw new IllegalStateException("the EOS " + name + " app did not close within 30 s (state "
          + streams.state() + "): what the bench measures next would share the cores with its threads");
    }
    System.err.printf("bench:   the EOS %s app closed in %d ms%n", name,
        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - closing));
  }

  private static boolean caughtUp(Admin admin, String group, Set<String> topics) throws Exception {
    Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
        .partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS);
    Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
    Map<String, org.apache.kafka.clients.admin.TopicDescription> described;
    try {
      described = admin.describeTopics(topics).allTopicNames().get(30, TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      if (e.getCause() instanceof org.apache.kafka.common.errors.UnknownTopicOrPartitionException) {
        return false; // the app has not created its repartition topic yet
      }
      throw e;
    }
    described.forEach((name, d) ->
        d.partitions().forEach(p -> latest.put(new TopicPartition(name, p.partition()), OffsetSpec.latest())));
    Map<TopicPartition, Long> ends = admin.listOffsets(latest).all().get(30, TimeUnit.SECONDS).entrySet().stream()
        .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
    for (Map.Entry<TopicPartition, Long> end : ends.entrySet()) {
      // Under exactly-once the end offset includes one transaction marker past the last record.
      OffsetAndMetadata at = committed.get(end.getKey());
      long position = at == null ? 0 : at.offset();
      if (end.getValue() > 0 && position < end.getValue() - 1) {
        return false;
      }
    }
    return true;
  }

  static Admin admin(String bootstrap) {
    return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap));
  }
}
