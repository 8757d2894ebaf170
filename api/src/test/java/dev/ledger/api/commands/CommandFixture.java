package dev.ledger.api.commands;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ledger.api.ApiConfig;
import dev.ledger.api.ApiServer;
import dev.ledger.api.auth.ApiKeys;
import dev.ledger.api.health.HealthRegistry;
import dev.ledger.events.ApplianceRegistered;
import dev.ledger.events.ClientOrgRegistered;
import dev.ledger.events.Envelope;
import dev.ledger.events.EventSerde;
import dev.ledger.events.PartnerRegistered;
import dev.ledger.events.SiteRegistered;
import dev.ledger.events.kafka.TopicAdmin;
import dev.ledger.events.kafka.TopicSpec;
import dev.ledger.events.kafka.Topics;
import dev.ledger.migrations.Migrations;
import dev.ledger.projector.tables.ProjectorSettings;
import dev.ledger.projector.tables.Projectors;
import dev.ledger.testkit.Await;
import dev.ledger.testkit.MutableClock;
import dev.ledger.testkit.SharedInfra;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import javax.sql.DataSource;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.jdbi.v3.core.Jdbi;

/**
 * The whole command path on the shared broker and PostgreSQL: the catalogue topics, a migrated database of its
 * own, the real projectors, and the API with the commands plugged in. Two tenants, registered through the ledger
 * (registry events, projected): partner p1 with site s1 and appliances a1 and a1b; partner p2 with site s2 and
 * appliance a2. Ids carry a per-run suffix, since the catalogue topics are shared by every test of the JVM.
 */
final class CommandFixture implements AutoCloseable {
  static final ObjectMapper JSON = EventSerde.mapper();
  static final Duration WAIT = Duration.ofSeconds(60);

  final String run = UUID.randomUUID().toString().substring(0, 8);
  final String p1 = "p1-" + run;
  final String p2 = "p2-" + run;
  final String s1 = "s1-" + run;
  final String s2 = "s2-" + run;
  final String a1 = "a1-" + run;
  final String a1b = "a1b-" + run;
  final String a2 = "a2-" + run;
  final DataSource dataSource;
  final Jdbi jdbi;
  final MutableClock clock = new MutableClock(Instant.now());
  final Projectors projectors;
  final Commands commands;
  final ApiServer api;
  final String p1Key;
  final String p2Key;
  final String adminKey;
  final String a1Key;
  final String a1bKey;
  private final HealthRegistry health = new HealthRegistry(Duration.ofSeconds(1));
  private final HttpClient http = HttpClient.newHttpClient();
  private final KafkaProducer<String, byte[]> producer;

  CommandFixture(String name) throws Exception {
    String bootstrap = SharedInfra.kafka().bootstrapServers();
    try (Admin admin = SharedInfra.kafka().admin()) {
      TopicAdmin.ensureTopics(admin, Topics.all(), Duration.ofSeconds(60));
    }
    dataSource = SharedInfra.postgres().newDatabase((name + "_" + run).toLowerCase(Locale.ROOT));
    Migrations.apply(dataSource);
    jdbi = Jdbi.create(dataSource);
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    producer = new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
    projectors = Projectors.start(ProjectorSettings.defaults(bootstrap, dataSource).withGroupPrefix(name + run));
    commands = Commands.start(Commands.Settings.defaults(bootstrap).withSweepInterval(Duration.ZERO)
        .withWaitTimeout(Duration.ofSeconds(30)));
    api = ApiServer.start("127.0.0.1", 0, health, JSON, ApiConfig.of(dataSource).withClock(clock)
        .withAuthCacheTtl(Duration.ZERO).withModules(List.of(commands)));
    Instant t = clock.instant();
    String key = Base64.getEncoder().encodeToString(new byte[44]);
    publish(Envelope.of(Envelope.FLEET_SITE_ID, null, t, new PartnerRegistered(p1, "Partner one", null)),
        Envelope.of(Envelope.FLEET_SITE_ID, null, t, new PartnerRegistered(p2, "Partner two", null)),
        Envelope.of(Envelope.FLEET_SITE_ID, null, t, new ClientOrgRegistered("o1-" + run, p1, "Clinic one")),
        Envelope.of(Envelope.FLEET_SITE_ID, null, t, new ClientOrgRegistered("o2-" + run, p2, "Clinic two")),
        Envelope.of(s1, null, t, new SiteRegistered(s1, p1, "o1-" + run, "Site one", "UTC")),
        Envelope.of(s2, null, t, new SiteRegistered(s2, p2, "o2-" + run, "Site two", "UTC")),
        Envelope.of(s1, a1, t, new ApplianceRegistered(a1, s1, "host-a1", key, "1.0")),
        Envelope.of(s1, a1b, t, new ApplianceRegistered(a1b, s1, "host-a1b", key, "1.0")),
        Envelope.of(s2, a2, t, new ApplianceRegistered(a2, s2, "host-a2", key, "1.0")));
    awaitCount("the tenants projected", "SELECT count(*) FROM appliances WHERE appliance_id IN ('" + a1 + "', '"
        + a1b + "', '" + a2 + "')", 3);
    ApiKeys keys = new ApiKeys(dataSource);
    p1Key = keys.issuePartnerKey(p1, "test", t).key();
    p2Key = keys.issuePartnerKey(p2, "test", t).key();
    adminKey = keys.issueAdminKey("test", t).key();
    a1Key = keys.issueApplianceKey(a1, s1, "test", t).key();
    a1bKey = keys.issueApplianceKey(a1b, s1, "test", t).key();
  }

  /** Publishes envelopes as an agent or the Streams app would: to their catalogue topic, keyed by site. */
  void publish(Envelope... envelopes) throws ExecutionException, InterruptedException {
    for (Envelope e : envelopes) {
      ProducerRecord<String, Envelope> target = Topics.record(e);
      producer.send(new ProducerRecord<>(target.topic(), target.key(), EventSerde.serialize(e))).get();
    }
  }

  HttpResponse<String> post(String key, String path, String body) throws Exception {
    return postTo(api.port(), key, path, body);
  }

  HttpResponse<String> postTo(int port, String key, String path, String body) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .timeout(Duration.ofSeconds(60)).POST(HttpRequest.BodyPublishers.ofString(body))
        .header("Content-Type", "application/json");
    if (key != null) {
      request.header("Authorization", "Bearer " + key);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  HttpResponse<String> get(String key, String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api.port() + path))
        .header("Authorization", "Bearer " + key).timeout(Duration.ofSeconds(60)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }

  static JsonNode json(HttpResponse<String> response) throws Exception {
    return JSON.readTree(response.body());
  }

  long count(String sql) {
    return jdbi.withHandle(h -> h.createQuery(sql).mapTo(Long.class).one());
  }

  void awaitCount(String what, String sql, long expected) {
    Await.until(() -> what + " (" + sql + " = " + count(sql) + ", expected " + expected + ")", WAIT,
        () -> count(sql) == expected);
  }

  /** The records now in a topic, in each partition's order. */
  static List<ConsumerRecord<String, byte[]>> records(TopicSpec topic) {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedInfra.kafka().bootstrapServers());
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    List<ConsumerRecord<String, byte[]>> out = new ArrayList<>();
    try (KafkaConsumer<String, byte[]> consumer =
        new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> parts = new ArrayList<>();
      for (PartitionInfo p : consumer.partitionsFor(topic.name(), Duration.ofSeconds(15))) {
        parts.add(new TopicPartition(topic.name(), p.partition()));
      }
      consumer.assign(parts);
      consumer.seekToBeginning(parts);
      Map<TopicPartition, Long> end = consumer.endOffsets(parts, Duration.ofSeconds(15));
      long deadline = System.nanoTime() + WAIT.toNanos();
      while (parts.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
        if (System.nanoTime() > deadline) {
          throw new AssertionError("could not read " + topic.name() + " to its end");
        }
        consumer.poll(Duration.ofMillis(200)).forEach(out::add);
      }
    }
    return out;
  }

  /** The envelopes of a topic with this event id, with their keys. */
  static List<Map.Entry<String, Envelope>> withId(TopicSpec topic, String eventId) {
    return records(topic).stream()
        .map(r -> Map.entry(r.key(), EventSerde.deserialize(r.value())))
        .filter(e -> e.getValue().eventId().toString().equals(eventId))
        .toList();
  }

  /** How many records the topic holds now (the sum of its end offsets). */
  static long size(TopicSpec topic) {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedInfra.kafka().bootstrapServers());
    try (KafkaConsumer<String, byte[]> consumer =
        new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> parts = consumer.partitionsFor(topic.name(), Duration.ofSeconds(15)).stream()
          .map(p -> new TopicPartition(topic.name(), p.partition())).toList();
      return consumer.endOffsets(parts, Duration.ofSeconds(15)).values().stream().mapToLong(Long::longValue).sum();
    }
  }

  @Override
  public void close() {
    api.close();
    commands.close();
    projectors.close();
    producer.close();
    health.close();
  }
}
