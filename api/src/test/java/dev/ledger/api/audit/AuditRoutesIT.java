package dev.ledger.api.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ledger.api.ApiConfig;
import dev.ledger.api.ApiServer;
import dev.ledger.api.auth.ApiKeys;
import dev.ledger.api.health.HealthRegistry;
import dev.ledger.events.Envelope;
import dev.ledger.events.EventSerde;
import dev.ledger.events.EvidenceLogCheckpointed;
import dev.ledger.events.kafka.TopicAdmin;
import dev.ledger.events.kafka.TopicSpec;
import dev.ledger.events.kafka.Topics;
import dev.ledger.events.merkle.Checkpoint;
import dev.ledger.events.merkle.EvidenceLog;
import dev.ledger.events.merkle.LedgerKey;
import dev.ledger.events.merkle.MerkleProofs;
import dev.ledger.events.merkle.SignedNote;
import dev.ledger.events.merkle.TreeFrontier;
import dev.ledger.events.rules.EvidenceChain;
import dev.ledger.migrations.Migrations;
import dev.ledger.testkit.SharedInfra;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The evidence-log routes on real PostgreSQL (rows as the evidence-log projection writes them) and real Kafka:
 * every proof the API serves verifies against the signed checkpoint it names, with the library alone; other
 * tenants get 404; bad parameters 400; on-demand checkpoints are published to Kafka.
 */
class AuditRoutesIT {
  private static final Instant NOW = Instant.parse("2026-11-28T12:00:00Z");
  private static final HexFormat HEX = HexFormat.of();
  @TempDir static Path keyDir;
  private static DataSource db;
  private static ApiServer api;
  private static Checkpointer checkpointer;
  private static HealthRegistry health;
  private static String topic;
  private static String p1;
  private static String p2;
  private static String admin;
  private static SignedNote.VerifierKey verifier;
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @BeforeAll
  static void start() throws Exception {
    String id = UUID.randomUUID().toString().substring(0, 8);
    db = SharedInfra.postgres().newDatabase("audit_api_" + id);
    Migrations.apply(db);
    try (Connection c = db.getConnection(); Statement s = c.createStatement()) {
      s.execute("""
          INSERT INTO partners VALUES ('p1', 'Partner One', NULL, '2026-01-01Z'), ('p2', 'Partner Two', NULL,
            '2026-01-01Z');
          INSERT INTO client_orgs VALUES ('o1', 'p1', 'Clinic One'), ('o2', 'p2', 'Clinic Two');
          INSERT INTO sites VALUES ('s1', 'p1', 'o1', 'Site One', 'UTC', '2026-01-01Z'),
                                   ('s2', 'p2', 'o2', 'Site Two', 'UTC', '2026-01-01Z');
          INSERT INTO appliances (appliance_id, site_id, hostname, public_key, registered_at) VALUES
            ('a1', 's1', 'h', 'AAAA', '2026-01-01Z'), ('a2', 's2', 'h', 'AAAA', '2026-01-01Z');""");
    }
    LedgerKey key = LedgerKey.loadOrCreate(keyDir, "compliance-ledger");
    verifier = key.verifier();
    TreeFrontier log = new TreeFrontier();
    appendLinks("s1", log, 1, 20);
    insertCheckpoint("s1", key, 7);
    insertCheckpoint("s1", key, 20);
    appendLinks("s1", log, 21, 23); // projected, not yet checkpointed
    appendLinks("s2", new TreeFrontier(), 1, 3);
    insertCheckpoint("s2", key, 3);

    topic = "aud" + id + "-" + Topics.EVIDENCE_CHECKPOINTS.name();
    try (Admin kafka = SharedInfra.kafka().admin()) {
      TopicAdmin.ensureTopics(kafka, List.of(new TopicSpec(topic, 1, Map.of(), "site_id", "checkpoints")),
          Duration.ofSeconds(30));
    }
    ApiKeys keys = new ApiKeys(db);
    p1 = keys.issuePartnerKey("p1", "test", NOW).key();
    p2 = keys.issuePartnerKey("p2", "test", NOW).key();
    admin = keys.issueAdminKey("test", NOW).key();
    checkpointer = new Checkpointer(db, SharedInfra.kafka().bootstrapServers(), topic, key, Clock.systemUTC());
    health = new HealthRegistry(Duration.ofSeconds(1));
    api = ApiServer.start("127.0.0.1", 0, health, EventSerde.mapper(), ApiConfig.of(db)
        .withAuthCacheTtl(Duration.ZERO).withModules(List.of(new AuditRoutes(checkpointer))));
  }

  @AfterAll
  static void stop() {
    if (api != null) {
      api.close();
      health.close();
      checkpointer.close();
    }
  }

  @Test
  void anInclusionProofVerifiesAgainstTheSmallestCheckpointCoveringTheBundle() throws Exception {
    JsonNode body = json(get(p1, "/v1/sites/s1/evidence/b-s1-5/inclusion"), 200);
    assertThat(body.get("chain_position").asLong()).isEqualTo(5);
    assertThat(body.get("tree_size").asLong()).isEqualTo(7);
    assertIncluded(body);
    JsonNode later = json(get(p1, "/v1/sites/s1/evidence-log/inclusion?position=5&tree_size=20"), 200);
    assertThat(later.get("tree_size").asLong()).isEqualTo(20);
    assertIncluded(later);
    JsonNode last = json(get(p1, "/v1/sites/s1/evidence-log/inclusion?position=20"), 200);
    assertIncluded(last);
  }

  @Test
  void aConsistencyProofVerifiesBetweenTwoSignedCheckpoints() throws Exception {
    JsonNode body = json(get(p1, "/v1/sites/s1/evidence-log/consistency"), 200);
    assertThat(body.get("to").asLong()).isEqualTo(20);
    Checkpoint from = Checkpoint.open(body.get("from_checkpoint").get("note").asText(), verifier);
    Checkpoint to = Checkpoint.open(body.get("to_checkpoint").get("note").asText(), verifier);
    assertThat(MerkleProofs.verifyConsistency(from.size(), from.root(), to.size(), to.root(), hashes(body)))
        .isTrue();
    assertThat(MerkleProofs.verifyConsistency(from.size(), to.root(), to.size(), to.root(), hashes(body)))
        .isFalse();
  }

  @Test
  void theLogSaysItsSizeAndLatestCheckpoint() throws Exception {
    JsonNode body = json(get(p1, "/v1/sites/s1/evidence-log"), 200);
    assertThat(body.get("tree_size").asLong()).isEqualTo(23);
    assertThat(body.get("origin").asText()).isEqualTo("compliance-ledger/evidence/s1");
    assertThat(body.get("latest_checkpoint").get("tree_size").asLong()).isEqualTo(20);
    assertThat(SignedNote.VerifierKey.parse(body.get("verifier_key").asText())).isEqualTo(verifier);
  }

  @Test
  void anotherTenantsLogIsNotFoundAndBadParametersAreNamed() throws Exception {
    assertThat(get(p2, "/v1/sites/s1/evidence-log").statusCode()).isEqualTo(404);
    assertThat(get(p2, "/v1/sites/s1/evidence-log/inclusion?position=1").statusCode()).isEqualTo(404);
    assertThat(get(p2, "/v1/sites/s1/evidence-log/consistency").statusCode()).isEqualTo(404);
    assertThat(get(p2, "/v1/sites/s1/evidence/b-s1-5/inclusion").statusCode()).isEqualTo(404);
    assertThat(get(p1, "/v1/sites/s2/evidence-log/inclusion?position=1").statusCode()).isEqualTo(404);
    assertThat(json(get(p1, "/v1/sites/s1/evidence-log/inclusion"), 200).get("chain_position").asLong())
        .isEqualTo(20);
    assertThat(json(get(p1, "/v1/sites/s1/evidence-log/inclusion?position=0"), 400).get("detail").asText())
        .contains("position counts from 1");
    assertThat(json(get(p1, "/v1/sites/s1/evidence-log/inclusion?position=x"), 400).get("detail").asText())
        .contains("position must be a whole number");
    assertThat(json(get(p1, "/v1/sites/s1/evidence-log/inclusion?position=5&tree_size=9"), 404)
        .get("detail").asText()).contains("no checkpoint of site s1 at tree size 9");
    assertThat(json(get(p1, "/v1/sites/s1/evidence-log/inclusion?position=22"), 409).get("detail").asText())
        .contains("no signed checkpoint of site s1 covers position 22");
    assertThat(json(get(p1, "/v1/sites/s1/evidence-log/consistency?from=20&to=7"), 400).get("detail").asText())
        .contains("to (7) is smaller than from (20)");
    assertThat(get(p1, "/v1/sites/s1/evidence/nope/inclusion").statusCode()).isEqualTo(404);
    assertThat(get(p1, "/v1/sites/s1/evidence-log/consistency?from=8").statusCode()).isEqualTo(404);
  }

  @Test
  void anAdminSignsCheckpointsOnDemandAsEventsOnKafka() throws Exception {
    assertThat(send(p1, "POST", "/v1/audit/checkpoints").statusCode()).isEqualTo(404);
    JsonNode body = json(send(admin, "POST", "/v1/audit/checkpoints"), 200);
    assertThat(body.get("checkpoints")).hasSize(1); // s1 grew to 23; s2 is checkpointed at its size
    JsonNode made = body.get("checkpoints").get(0);
    assertThat(made.get("tree_size").asLong()).isEqualTo(23);
    Checkpoint signed = Checkpoint.open(made.get("note").asText(), verifier);
    assertThat(signed.origin()).isEqualTo("compliance-ledger/evidence/s1");

    List<ConsumerRecord<String, byte[]>> records = readTopic();
    assertThat(records).hasSize(1);
    assertThat(records.get(0).key()).isEqualTo("s1");
    Envelope envelope = EventSerde.deserialize(records.get(0).value());
    assertThat(envelope.siteId()).isEqualTo("s1");
    assertThat(((EvidenceLogCheckpointed) envelope.payload()).note()).isEqualTo(made.get("note").asText());
  }

  private static void assertIncluded(JsonNode body) throws Exception {
    Checkpoint checkpoint = Checkpoint.open(body.get("checkpoint").get("note").asText(), verifier);
    assertThat(checkpoint.size()).isEqualTo(body.get("tree_size").asLong());
    byte[] leaf = HEX.parseHex(body.get("leaf_hash").asText());
    assertThat(leaf).isEqualTo(dev.ledger.events.merkle.MerkleHash.leaf(
        body.get("leaf_data").asText().getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    assertThat(MerkleProofs.verifyInclusion(leaf, body.get("leaf_index").asLong(), checkpoint.size(), hashes(body),
        checkpoint.root())).isTrue();
    assertThat(MerkleProofs.verifyInclusion(leaf, body.get("leaf_index").asLong() + 1, checkpoint.size(),
        hashes(body), checkpoint.root())).isFalse();
  }

  private static List<byte[]> hashes(JsonNode body) {
    List<byte[]> out = new ArrayList<>();
    body.get("proof").forEach(h -> out.add(HEX.parseHex(h.asText())));
    return out;
  }

  /** Rows as the evidence-log and evidence projections write them, for links from..to of a site. */
  private static void appendLinks(String site, TreeFrontier log, int from, int to) throws Exception {
    try (Connection c = db.getConnection()) {
      String prev = from == 1 ? EvidenceChain.GENESIS_PREV_HASH : chainHashAt(c, site, from - 1);
      for (int p = from; p <= to; p++) {
        String bundleHash = dev.ledger.events.crypto.Hashing.sha256Hex(site + "-" + p);
        String chain = EvidenceChain.chainHash(bundleHash, prev, p);
        try (PreparedStatement s = c.prepareStatement("""
            INSERT INTO evidence_bundles (bundle_id, site_id, appliance_id, checked_at, received_at, bundle,
              bundle_hash, chain_position, prev_hash, chain_hash, signature, event_id)
            VALUES (?, ?, ?, now(), now(), '{}', ?, ?, ?, ?, 'c2ln', gen_random_uuid())""")) {
          s.setString(1, "b-" + site + "-" + p);
          s.setString(2, site);
          s.setString(3, site.equals("s1") ? "a1" : "a2");
          s.setString(4, bundleHash);
          s.setLong(5, p);
          s.setString(6, prev);
          s.setString(7, chain);
          s.execute();
        }
        for (TreeFrontier.Node node : log.append(EvidenceLog.leafHash(bundleHash, prev, p))) {
          try (PreparedStatement s = c.prepareStatement(
              "INSERT INTO evidence_log_nodes VALUES (?, ?, ?, ?)")) {
            s.setString(1, site);
            s.setInt(2, node.id().level());
            s.setLong(3, node.id().index());
            s.setBytes(4, node.hash());
            s.execute();
          }
        }
        prev = chain;
      }
      try (PreparedStatement s = c.prepareStatement("""
          INSERT INTO evidence_log_heads VALUES (?, ?, ?, ?) ON CONFLICT (site_id) DO UPDATE
          SET tree_size = EXCLUDED.tree_size, root_hash = EXCLUDED.root_hash,
            last_chain_hash = EXCLUDED.last_chain_hash""")) {
        s.setString(1, site);
        s.setLong(2, log.size());
        s.setBytes(3, log.root());
        s.setString(4, prev);
        s.execute();
      }
    }
  }

  private static String chainHashAt(Connection c, String site, long position) throws Exception {
    try (PreparedStatement s = c.prepareStatement(
        "SELECT chain_hash FROM evidence_bundles WHERE site_id = ? AND chain_position = ?")) {
      s.setString(1, site);
      s.setLong(2, position);
      var rs = s.executeQuery();
      rs.next();
      return rs.getString(1);
    }
  }

  private static void insertCheckpoint(String site, LedgerKey key, long size) throws Exception {
    try (Connection c = db.getConnection()) {
      byte[] root = org.jdbi.v3.core.Jdbi.create(db).withHandle(h -> EvidenceLogStore.root(h, site, size));
      Checkpoint checkpoint = new Checkpoint(key.origin(site), size, root);
      try (PreparedStatement s = c.prepareStatement(
          "INSERT INTO evidence_log_checkpoints VALUES (?, ?, ?, ?, ?, gen_random_uuid(), now())")) {
        s.setString(1, site);
        s.setLong(2, size);
        s.setString(3, checkpoint.origin());
        s.setBytes(4, root);
        s.setString(5, key.sign(checkpoint));
        s.execute();
      }
    }
  }

  private static List<ConsumerRecord<String, byte[]>> readTopic() {
    Map<String, Object> config = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
        SharedInfra.kafka().bootstrapServers(), ConsumerConfig.GROUP_ID_CONFIG, "audit-it-" + UUID.randomUUID(),
        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    List<ConsumerRecord<String, byte[]>> out = new ArrayList<>();
    try (KafkaConsumer<String, byte[]> consumer =
        new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer())) {
      consumer.subscribe(List.of(topic));
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (out.isEmpty() && System.nanoTime() < deadline) {
        consumer.poll(Duration.ofMillis(500)).forEach(out::add);
      }
      consumer.poll(Duration.ofMillis(500)).forEach(out::add);
    }
    return out;
  }

  private static HttpResponse<String> get(String key, String path) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api.port() + path))
        .header("Authorization", "Bearer " + key).timeout(Duration.ofSeconds(20)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static HttpResponse<String> send(String key, String method, String path) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api.port() + path))
        .header("Authorization", "Bearer " + key).method(method, HttpRequest.BodyPublishers.noBody())
        .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private static JsonNode json(HttpResponse<String> response, int status) throws Exception {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
    return EventSerde.mapper().readTree(response.body());
  }
}
