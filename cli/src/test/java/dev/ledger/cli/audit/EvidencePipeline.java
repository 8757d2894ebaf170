package dev.ledger.cli.audit;

import dev.ledger.api.audit.Checkpointer;
import dev.ledger.events.ApplianceRegistered;
import dev.ledger.events.CheckStatus;
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
import java.nio.file.Path;
import java.security.KeyPair;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import javax.sql.DataSource;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The real pipeline on the shared broker and PostgreSQL, under topic names of its own: signed evidence of a few
 * appliances goes through the Streams app (sealing) and the projectors into a fresh database, and the checkpointer
 * signs checkpoints with a ledger key of its own. Tests copy the resulting database ({@link #copy}) and tamper.
 */
final class EvidencePipeline implements AutoCloseable {
  final String prefix;
  final String database;
  final DataSource db;
  final LedgerKey ledgerKey;
  final Map<String, KeyPair> applianceKeys = new HashMap<>();
  private final ProjectorTopics topics;
  private final KafkaProducer<String, byte[]> producer;
  private final LedgerStreams streams;
  private final Projectors projectors;
  private final Checkpointer checkpointer;
  private final Instant start = Instant.now().truncatedTo(ChronoUnit.SECONDS);
  private int bundles;

  EvidencePipeline(String id, Path workDir) throws Exception {
    prefix = "au" + id + "-";
    database = "audit_" + id;
    topics = ProjectorTopics.prefixed(prefix);
    List<TopicSpec> specs = new ArrayList<>();
    for (TopicSpec spec : Topics.all()) {
      specs.add(new TopicSpec(prefix + spec.name(), 2, spec.configs(), spec.key(), spec.value()));
    }
    try (Admin admin = SharedInfra.kafka().admin()) {
      TopicAdmin.ensureTopics(admin, specs, Duration.ofSeconds(30));
    }
    db = SharedInfra.postgres().newDatabase(database);
    Migrations.apply(db);
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedInfra.kafka().bootstrapServers());
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    producer = new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
    streams = LedgerStreams.start(new StreamsSettings(prefix + "streams", SharedInfra.kafka().bootstrapServers(),
        workDir.resolve("streams"), StreamsTopics.prefixed(prefix), StreamsSettings.Rules.DEFAULT, 1, 1,
        StreamsSettings.DEFAULT_SESSION_TIMEOUT));
    projectors = Projectors.start(ProjectorSettings.defaults(SharedInfra.kafka().bootstrapServers(), db)
        .withTopics(topics).withGroupPrefix(prefix + "proj"));
    ledgerKey = LedgerKey.loadOrCreate(workDir.resolve("ledger-key"), "compliance-ledger");
    checkpointer = new Checkpointer(db, SharedInfra.kafka().bootstrapServers(), topics.checkpoints(), ledgerKey,
        Clock.systemUTC());
  }

  /** Registers a partner, org, site and one appliance per site. */
  EvidencePipeline sites(String... siteIds) throws Exception {
    send(Envelope.FLEET_SITE_ID, null, new PartnerRegistered("partner-" + prefix, "MSP", null));
    send(Envelope.FLEET_SITE_ID, null, new ClientOrgRegistered("org-" + prefix, "partner-" + prefix, "Clinic"));
    for (String site : siteIds) {
      KeyPair keys = Signing.generateKeyPair();
      applianceKeys.put(site, keys);
      send(site, null, new SiteRegistered(site, "partner-" + prefix, "org-" + prefix, site, "UTC"));
      send(site, null, new ApplianceRegistered(appliance(site), site, "host", Signing.encodePublicKey(
          keys.getPublic()), "1.0"));
    }
    producer.flush();
    return this;
  }

  static String appliance(String site) {
    return "app-" + site;
  }

  /** Each site's appliance submits {@code n} signed bundles; waits until every one is projected. */
  EvidencePipeline evidence(int n, String... siteIds) throws Exception {
    for (int i = 0; i < n; i++) {
      for (String site : siteIds) {
        bundles++;
        Instant at = start.plusMillis(bundles);
        EvidenceSubmitted bundle = new EvidenceSubmitted("b-" + site + "-" + bundles, at, List.of(
            new EvidenceCheck("backup", CheckStatus.PASS, "host-1", null, "164.308(a)(7)"),
            new EvidenceCheck("encryption", i % 3 == 0 ? CheckStatus.FAIL : CheckStatus.PASS, "host-1",
                EventSerde.mapper().readTree("{\"bitlocker\":\"on\",\"volumes\":2,\"ratio\":0.25}"), null)));
        Envelope signed = Signing.sign(Envelope.of(site, appliance(site), at, bundle),
            applianceKeys.get(site).getPrivate());
        producer.send(new ProducerRecord<>(topics.evidence(), site, EventSerde.serialize(signed)));
      }
    }
    producer.flush();
    int expected = bundles;
    Await.until(() -> "evidence_bundles = " + expected + " and logs of the same size, are " + count(
        "SELECT count(*) FROM evidence_bundles") + " / " + count("SELECT coalesce(sum(tree_size), 0) "
            + "FROM evidence_log_heads") + "; " + projectors.status() + " " + streams.status(),
        Duration.ofSeconds(120), () -> count("SELECT count(*) FROM evidence_bundles") == expected
            && count("SELECT coalesce(sum(tree_size), 0) FROM evidence_log_heads") == expected);
    return this;
  }

  /** Signs checkpoints of every grown log and waits until they are projected. */
  EvidencePipeline checkpoint() {
    long before = count("SELECT count(*) FROM evidence_log_checkpoints");
    int made = checkpointer.checkpoint(null).size();
    Await.until(() -> "checkpoints projected", Duration.ofSeconds(60),
        () -> count("SELECT count(*) FROM evidence_log_checkpoints") == before + made);
    return this;
  }

  Checkpointer checkpointer() {
    return checkpointer;
  }

  /** A copy of the database as it is now (the pipeline must be closed: a template has no other sessions). */
  String copy(String name) throws SQLException {
    try (Connection c = SharedInfra.postgres().dataSource("postgres").getConnection();
        Statement s = c.createStatement()) {
      s.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
      s.execute("CREATE DATABASE " + name + " TEMPLATE " + database);
    }
    return name;
  }

  static String jdbcUrl(String database) {
    String url = SharedInfra.postgres().jdbcUrl(database) + "?user=" + SharedInfra.postgres().user();
    String password = SharedInfra.postgres().password();
    return password == null || password.isEmpty() ? url : url + "&password=" + password;
  }

  long count(String sql) {
    try (Connection c = db.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  private void send(String site, String appliance, LedgerEvent event) throws Exception {
    Envelope e = Envelope.of(site, appliance, start, event);
    String topic = prefix + Topics.forEvent(event).name();
    producer.send(new ProducerRecord<>(topic, Topics.keyFor(e), EventSerde.serialize(e))).get();
  }

  @Override
  public void close() {
    checkpointer.close();
    projectors.close();
    streams.close();
    producer.close(Duration.ofSeconds(5));
  }
}
