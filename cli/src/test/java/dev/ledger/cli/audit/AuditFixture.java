package dev.ledger.cli.audit;

import dev.ledger.api.audit.Checkpointer;
import dev.ledger.events.ApplianceRegistered;
import dev.ledger.events.ClientOrgRegistered;
import dev.ledger.events.Envelope;
import dev.ledger.events.EventSerde;
import dev.ledger.events.EvidenceCheck;
import dev.ledger.events.EvidenceSubmitted;
import dev.ledger.events.LedgerEvent;
import dev.ledger.events.PartnerRegistered;
import dev.ledger.events.SiteRegistered;
import dev.ledger.events.crypto.Signing;
import dev.ledger.events.kafka.TopicAdmin;
import dev.ledger.events.kafka.TopicSpec;
import dev.ledger.events.kafka.Topics;
import dev.ledger.events.merkle.LedgerKey;
import dev.ledger.migrations.Migrations;
import dev.ledger.projector.streams.LedgerStreams;
import dev.ledger.projector.streams.StreamsSettings;
import dev.ledger.projector.streams.StreamsTopics;
import dev.ledger.projector.tables.ProjectorSettings;
import dev.ledger.projector.tables.ProjectorTopics;
import dev.ledger.projector.tables.Projectors;
import dev.ledger.testkit.Await;
import dev.ledger.testkit.SharedInfra;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import javax.sql.DataSource;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.jdbi.v3.core.Jdbi;

/**
 * The whole pipeline for one audit test: its own prefixed topics and database on the shared broker and
 * PostgreSQL, the real Streams app (sealing) and the real projectors, and a producer of registry, evidence and
 * incident events.
 */
final class AuditFixture implements AutoCloseable {
  final String name;
  final String prefix;
  final ProjectorTopics topics;
  final DataSource dataSource;
  final Jdbi jdbi;
  private final KafkaProducer<String, byte[]> producer;
  private final LedgerStreams streams;
  private final Projectors projectors;

  private AuditFixture(String name) throws Exception {
    this.name = name;
    this.prefix = name.replace('_', '-') + "-";
    this.topics = ProjectorTopics.prefixed(prefix);
    String bootstrap = SharedInfra.kafka().bootstrapServers();
    dataSource = SharedInfra.postgres().newDatabase(name);
    Migrations.apply(dataSource);
    jdbi = Jdbi.create(dataSource);
    List<TopicSpec> specs = new ArrayList<>();
    for (TopicSpec spec : Topics.all()) {
      specs.add(new TopicSpec(prefix + spec.name(), spec.partitions(), Map.of(), spec.key(), spec.value()));
    }
    try (Admin admin = SharedInfra.kafka().admin()) {
      TopicAdmin.ensureTopics(admin, specs, Duration.ofSeconds(30));
    }
    Path state = Files.createTempDirectory("ledger-audit-it-");
    streams = LedgerStreams.start(StreamsSettings.defaults(bootstrap, state).withApplicationId(name + "-streams")
        .withTopics(StreamsTopics.prefixed(prefix)));
    projectors = Projectors.start(ProjectorSettings.defaults(bootstrap, dataSource).withTopics(topics)
        .withGroupPrefix(name));
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    producer = new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
  }

  static AuditFixture start(String what) throws Exception {
    String id = UUID.randomUUID().toString().replace("-", "").substring(0, 8);
    return new AuditFixture((what + "_" + id).toLowerCase(Locale.ROOT));
  }

  /** The JDBC URL of this test's database, with credentials. */
  String jdbcUrl() {
    String url = SharedInfra.postgres().jdbcUrl(name) + "?user=" + SharedInfra.postgres().user();
    String password = SharedInfra.postgres().password();
    return password == null || password.isEmpty() ? url : url + "&password=" + password;
  }

  String bootstrap() {
    return SharedInfra.kafka().bootstrapServers();
  }

  /** Registers partner, client org and site; returns the partition the site's records landed in. */
  int registerSite(String site, Instant at) {
    send(Envelope.of(Envelope.FLEET_SITE_ID, null, at, new PartnerRegistered("p-" + site, "MSP", null)));
    send(Envelope.of(Envelope.FLEET_SITE_ID, null, at, new ClientOrgRegistered("c-" + site, "p-" + site, "Clinic")));
    return send(Envelope.of(site, null, at,
        new SiteRegistered(site, "p-" + site, "c-" + site, "Site " + site, "UTC"))).partition();
  }

  /** An appliance of a site, with its key pair, registered on the ledger. */
  record Appliance(String id, String site, KeyPair keys) {
  }

  Appliance registerAppliance(String id, String site, Instant at) {
    Appliance a = new Appliance(id, site, Signing.generateKeyPair());
    send(Envelope.of(site, null, at, new ApplianceRegistered(id, site, "host-" + id,
        Signing.encodePublicKey(a.keys().getPublic()), "1.0.0")));
    return a;
  }

  /** Signed evidence of one bundle; returns where it landed. */
  RecordMetadata evidence(Appliance a, String bundleId, Instant checkedAt, List<EvidenceCheck> checks) {
    Envelope e = Envelope.of(a.site(), a.id(), checkedAt, new EvidenceSubmitted(bundleId, checkedAt, checks));
    return send(Signing.sign(e, a.keys().getPrivate()));
  }

  /** An incident-topic (or any) event of a site, unsigned. */
  RecordMetadata event(String site, String applianceId, Instant at, LedgerEvent payload) {
    return send(Envelope.of(site, applianceId, at, payload));
  }

  RecordMetadata send(Envelope e) {
    return sendRaw(Topics.forEvent(e.payload()).name(), Topics.keyFor(e), EventSerde.serialize(e));
  }

  /** A record of any bytes to a catalogue topic (named without the prefix). */
  RecordMetadata sendRaw(String catalogueTopic, String key, byte[] value) {
    try {
      return producer.send(new ProducerRecord<>(prefix + catalogueTopic, key, value)).get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } catch (ExecutionException e) {
      throw new IllegalStateException(e.getCause());
    }
  }

  /** Signs checkpoints of every grown log with {@code key}, as the ledger does, and waits until they are projected. */
  void checkpoint(LedgerKey key) {
    long before = count("SELECT count(*) FROM evidence_log_checkpoints");
    int made;
    try (Checkpointer checkpointer = new Checkpointer(dataSource, bootstrap(), topics.checkpoints(), key,
        Clock.systemUTC())) {
      made = checkpointer.checkpoint(null).size();
    }
    Await.until(() -> made + " checkpoint(s) projected: " + status(), await(),
        () -> count("SELECT count(*) FROM evidence_log_checkpoints") == before + made);
  }

  long count(String sql) {
    return jdbi.withHandle(h -> h.createQuery(sql).mapTo(Long.class).one());
  }

  boolean healthy() {
    return streams.healthy() && projectors.healthy();
  }

  String status() {
    return streams.status() + "; " + projectors.status();
  }

  static Duration await() {
    return Duration.ofSeconds(90);
  }

  @Override
  public void close() {
    producer.close();
    projectors.close();
    streams.close();
  }
}
