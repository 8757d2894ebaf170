package dev.ledger.projector.tables;


import dev.ledger.events.Envelope;
import dev.ledger.events.EventSerde;
import dev.ledger.events.kafka.TopicAdmin;
import dev.ledger.events.kafka.TopicSpec;
import dev.ledger.events.kafka.Topics;
import dev.ledger.migrations.Migrations;
import dev.ledger.testkit.Await;
import dev.ledger.testkit.SharedInfra;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.function.BooleanSupplier;
import javax.sql.DataSource;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.jdbi.v3.core.Jdbi;

/** One test's own topics (a unique prefix), its own migrated database, and a producer. */
final class Infra implements AutoCloseable {
  final String name;
  final ProjectorTopics topics;
  final DataSource dataSource;
  final Jdbi jdbi;
  private final KafkaProducer<String, byte[]> producer;

  private Infra(String name, int partitions) {
    this.name = name;
    String prefix = name.replace('_', '-') + "-";
    topics = ProjectorTopics.prefixed(prefix);
    List<TopicSpec> specs = new ArrayList<>();
    for (TopicSpec spec : Topics.all()) {
      specs.add(new TopicSpec(prefix + spec.name(), spec.name().equals(Topics.DEAD_LETTER.name()) ? 1 : partitions,
          Map.of(), spec.key(), spec.value()));
    }
    try (Admin admin = SharedInfra.kafka().admin()) {
      TopicAdmin.ensureTopics(admin, specs, Duration.ofSeconds(30));
    }
    dataSource = SharedInfra.postgres().newDatabase(name);
    Migrations.apply(dataSource);
    jdbi = Jdbi.create(dataSource);
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedInfra.kafka().bootstrapServers());
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.LINGER_MS_CONFIG, 5);
    producer = new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
  }

  /** Fresh topics and database named {@code <what>_<random>}. */
  static Infra create(String what, int partitions) {
    String id = UUID.randomUUID().toString().replace("-", "").substring(0, 8);
    return new Infra((what + "_" + id).toLowerCase(Locale.ROOT), partitions);
  }

  ProjectorSettings settings() {
    return ProjectorSettings.defaults(SharedInfra.kafka().bootstrapServers(), dataSource)
        .withTopics(topics).withGroupPrefix(name);
  }

  void send(String topic, Envelope... envelopes) {
    for (Envelope e : envelopes) {
      sendRaw(topic, Topics.keyFor(e), EventSerde.serialize(e));
    }
    producer.flush();
  }

  void sendRaw(String topic, String key, byte[] value) {
    try {
      producer.send(new ProducerRecord<>(topic, key, value)).get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } catch (ExecutionException e) {
      throw new IllegalStateException(e.getCause());
    }
  }

  KafkaProducer<String, byte[]> producer() {
    return producer;
  }

  long count(String sql) {
    return jdbi.withHandle(h -> h.createQuery(sql).mapTo(Long.class).one());
  }

  static void await(String what, Duration timeout, BooleanSupplier condition) {
    Await.until(what, timeout, condition);
  }


  @Override
  public void close() {
    producer.close();
  }
}
