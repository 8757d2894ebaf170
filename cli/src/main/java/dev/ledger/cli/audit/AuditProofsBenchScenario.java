package dev.ledger.cli.audit;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ledger.api.ApiConfig;
import dev.ledger.api.ApiServer;
import dev.ledger.api.audit.AuditRoutes;
import dev.ledger.api.audit.Checkpointer;
import dev.ledger.api.auth.ApiKeys;
import dev.ledger.api.health.HealthRegistry;
import dev.ledger.cli.bench.BenchContext;
import dev.ledger.cli.bench.BenchResult;
import dev.ledger.cli.bench.BenchScenario;
import dev.ledger.events.EventSerde;
import dev.ledger.events.kafka.Topics;
import dev.ledger.events.merkle.Checkpoint;
import dev.ledger.events.merkle.LedgerKey;
import dev.ledger.events.merkle.MerkleHash;
import dev.ledger.events.merkle.MerkleProofs;
import dev.ledger.events.merkle.TreeFrontier;
import dev.ledger.events.rules.EvidenceChain;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.postgresql.copy.PGCopyOutputStream;

/**
 * {@code audit-proofs}: inclusion proofs of random leaves of one large evidence log (1 million leaves, times
 * {@code --scale}; the goal is p99 < 5 ms at 10 million), each served by {@code GET /v1/sites/{site}/evidence-log/
 * inclusion} of the real API over HTTP (API key, tenant scope, checkpoint lookup, nodes, JSON) and verified against
 * the signed checkpoint by the client. The log's nodes are written with COPY into a schema of their own.
 */
public final class AuditProofsBenchScenario implements BenchScenario {
  private static final int LOG_LEAVES = 1_000_000;
  private static final int PROOFS = 2_000;
  private static final int WARM_UP = 300;
  private static final String SITE = "big-site";
  private static final HexFormat HEX = HexFormat.of();

  @Override
  public String name() {
    return "audit-proofs";
  }

  @Override
  public String description() {
    return "inclusion proofs over HTTP from a large evidence log, p50/p99";
  }

  @Override
  public List<BenchResult> run(BenchContext context) throws Exception {
    int leaves = context.count(LOG_LEAVES);
    String schema = "bench_audit_log";
    DataSource ds = AuditVerifyBenchScenario.fresh(context.dataSource(), schema);
    LedgerKey ledgerKey = LedgerKey.loadOrCreate(context.workDir().resolve("audit-ledger-key"), "bench-ledger");
    long loadStart = System.nanoTime();
    byte[] root = load(ds, ledgerKey, leaves);
    Duration load = Duration.ofNanos(System.nanoTime() - loadStart);
    Checkpoint signed = new Checkpoint(ledgerKey.origin(SITE), leaves, root);
    String key = new ApiKeys(ds).issueAdminKey("bench", Instant.now()).key();
    long[] micros = new long[PROOFS];
    Duration elapsed;
    try (HealthRegistry health = new HealthRegistry(Duration.ofSeconds(5));
        Checkpointer checkpointer = new Checkpointer(ds, context.bootstrapServers(),
            Topics.EVIDENCE_CHECKPOINTS.name(), ledgerKey, Clock.systemUTC());
        ApiServer api = ApiServer.start("127.0.0.1", 0, health, EventSerde.mapper(), ApiConfig.of(ds)
            .withModules(List.of(new AuditRoutes(checkpointer))))) {
      HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
      SplittableRandom random = new SplittableRandom(7);
      long start = 0;
      for (int i = -WARM_UP; i < PROOFS; i++) {
        if (i == 0) {
          start = System.nanoTime();
        }
        long position = 1 + random.nextLong(leaves);
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api.port() + "/v1/sites/"
            + SITE + "/evidence-log/inclusion?position=" + position)).header("Authorization", "Bearer " + key)
            .timeout(Duration.ofSeconds(30)).build();
        long t = System.nanoTime();
        HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        if (i >= 0) {
          micros[i] = (System.nanoTime() - t) / 1_000;
        }
        check(response, position, signed);
      }
      elapsed = Duration.ofNanos(System.nanoTime() - start);
    }
    AuditVerifyBenchScenario.drop(context.dataSource(), schema);
    Arrays.sort(micros);
    return List.of(
        BenchResult.raw("audit-log-load", String.format("COPY of the %,d-leaf log's %,d complete nodes (hashing "
            + "included)", leaves, 2L * leaves - Long.bitCount(leaves)), 2L * leaves - Long.bitCount(leaves),
            "nodes", load),
        new BenchResult(name(), String.format("GET .../evidence-log/inclusion of a random leaf of a %,d-leaf log "
            + "over HTTP, one client, verified against the signed checkpoint", leaves), PROOFS, "proofs", elapsed,
            null, micros[PROOFS / 2], micros[PROOFS * 99 / 100]));
  }

  private static void check(HttpResponse<byte[]> response, long position, Checkpoint signed) throws Exception {
    if (response.statusCode() != 200) {
      throw new IllegalStateException("inclusion proof of " + position + ": HTTP " + response.statusCode() + " "
          + new String(response.body(), StandardCharsets.UTF_8));
    }
    JsonNode body = EventSerde.mapper().readTree(response.body());
    List<byte[]> proof = new ArrayList<>();
    body.get("proof").forEach(h -> proof.add(HEX.parseHex(h.asText())));
    byte[] leaf = leaf(position - 1);
    if (!Arrays.equals(HEX.parseHex(body.get("leaf_hash").asText()), leaf)
        || !MerkleProofs.verifyInclusion(leaf, position - 1, signed.size(), proof, signed.root())) {
      throw new IllegalStateException("inclusion proof of position " + position + " does not verify");
    }
  }

  private static byte[] leaf(long index) {
    return MerkleHash.leaf(ByteBuffer.allocate(8).putLong(index).array());
  }

  /** Writes the log of {@code leaves} synthetic leaves, its head and a signed checkpoint; returns the root. */
  private static byte[] load(DataSource ds, LedgerKey ledgerKey, int leaves) throws Exception {
    TreeFrontier log = new TreeFrontier();
    try (Connection c = ds.getConnection()) {
      c.setAutoCommit(false);
      try (Statement s = c.createStatement()) {
        s.execute("INSERT INTO partners VALUES ('bp', 'Bench MSP', NULL, '2026-01-01Z')");
        s.execute("INSERT INTO client_orgs VALUES ('bo', 'bp', 'Bench clinic')");
        s.execute("INSERT INTO sites VALUES ('" + SITE + "', 'bp', 'bo', 'big', 'UTC', '2026-01-01Z')");
      }
      // One COPY per level, in key order, so the primary key grows at its right edge.
      List<List<byte[]>> levels = new ArrayList<>();
      for (long i = 0; i < leaves; i++) {
        for (TreeFrontier.Node n : log.append(leaf(i))) {
          if (levels.size() == n.id().level()) {
            levels.add(new ArrayList<>());
          }
          levels.get(n.id().level()).add(n.hash());
        }
      }
      for (int level = 0; level < levels.size(); level++) {
        try (PGCopyOutputStream out = new PGCopyOutputStream(c.unwrap(PGConnection.class),
                "COPY evidence_log_nodes (site_id, level, idx, hash) FROM STDIN", 1 << 16);
            Writer w = new OutputStreamWriter(out, StandardCharsets.US_ASCII)) {
          List<byte[]> hashes = levels.get(level);
          for (int i = 0; i < hashes.size(); i++) {
            w.write(SITE + "\t" + level + "\t" + i + "\t\\\\x" + HEX.formatHex(hashes.get(i)) + "\n");
          }
        }
        levels.set(level, null);
      }
      AuditVerifyBenchScenario.head(c, SITE, log, EvidenceChain.GENESIS_PREV_HASH);
      AuditVerifyBenchScenario.checkpoint(c, ledgerKey, SITE, log);
      c.commit();
      try (Statement s = c.createStatement()) {
        s.execute("ANALYZE evidence_log_nodes");
      }
      c.commit();
    }
    return log.root();
  }
}
