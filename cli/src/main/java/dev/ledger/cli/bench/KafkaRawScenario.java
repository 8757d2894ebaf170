package dev.ledger.cli.bench;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Raw Kafka limits: produce ~300-byte JSON records with the ledger's durable producer settings, then consume
 * them back, on a fresh 3-partition topic.
 */
final class KafkaRawScenario implements BenchScenario {
  static final String PRODUCE = "kafka-produce";
  static final String CONSUME = "kafka-consume";
  private static final int RECORDS = 1_000_000;

  @Override
  public String name() {
    return "kafka-raw";
  }

  @Override
  public String description() {
    return "Kafka produce and consume of ~300-byte JSON records";
  }

  @Override
  public List<BenchResult> run(BenchContext context) throws Exception {
    int count = context.count(RECORDS);
    String topic = "bench-raw-" + System.currentTimeMillis();
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", context.bootstrapServers()))) {
      admin.createTopics(List.of(new NewTopic(topic, 3, (short) 1))).all().get(30, TimeUnit.SECONDS);
    }
    byte[][] keys = new byte[1000][];
    for (int i = 0; i < keys.length; i++) {
      keys[i] = BenchData.siteId(i).getBytes(StandardCharsets.UTF_8);
    }
    SplittableRandom random = new SplittableRandom(42);
    List<byte[]> values = new ArrayList<>(10_000);
    long bytes = 0;
    for (int i = 0; i < 10_000; i++) {
      byte[] v = BenchData.json(i, random).getBytes(StandardCharsets.UTF_8);
      values.add(v);
      bytes += v.length;
    }
    long avgBytes = bytes / values.size();

    long start = System.nanoTime();
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(producerConfig(context.bootstrapServers()),
        new ByteArraySerializer(), new ByteArraySerializer())) {
      for (int i = 0; i < count; i++) {
        producer.send(new ProducerRecord<>(topic, keys[i % keys.length], values.get(i % values.size())));
      }
      producer.flush();
    }
    Duration produced = Duration.ofNanos(System.nanoTime() - start);

    start = System.nanoTime();
    long seen = 0;
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(consumerConfig(context.bootstrapServers()),
        new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      consumer.subscribe(List.of(topic));
      long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
      while (seen < count && System.nanoTime() < deadline) {
        ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ofMillis(200));
        seen += records.count();
      }
    }
    Duration consumed = Duration.ofNanos(System.nanoTime() - start);
    if (seen < count) {
      throw new IllegalStateException("consumed " + seen + " of " + count + " records within 5 minutes");
    }
    String what = avgBytes + "-byte JSON, acks=all, idempotent, lz4, linger 5 ms, batch 64 KiB, 3 partitions";
    return List.of(
        BenchResult.raw(PRODUCE, "Kafka produce, " + what, count, "records", produced),
        BenchResult.raw(CONSUME, "Kafka consume of the same topic (one consumer, group join included)", count,
            "records", consumed));
  }

  static Map<String, Object> producerConfig(String bootstrap) {
    return Map.of(
        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
        // Durable: every in-sync replica has the record before it counts as sent.
        ProducerConfig.ACKS_CONFIG, "all",
        ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
        ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4",
        // Let batches fill for a few milliseconds: throughput over single-record latency.
        ProducerConfig.LINGER_MS_CONFIG, 5,
        ProducerConfig.BATCH_SIZE_CONFIG, 64 * 1024,
        ProducerConfig.BUFFER_MEMORY_CONFIG, 64L * 1024 * 1024);
  }

  static Map<String, Object> consumerConfig(String bootstrap) {
    return Map.of(
        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
        ConsumerConfig.GROUP_ID_CONFIG, "bench-raw-" + System.nanoTime(),
        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
        ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
        // Large fetches: the benchmark measures the ceiling, not interactivity.
        ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000,
        ConsumerConfig.FETCH_MAX_BYTES_CONFIG, 64 * 1024 * 1024,
        ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 8 * 1024 * 1024);
  }
}
