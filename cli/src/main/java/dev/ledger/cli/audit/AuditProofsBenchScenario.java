package dev.ledger.cli.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.zaxxer.hikari.HikariDataSource;
import dev.ledger.api.ApiConfig;
import dev.ledger.api.ApiServer;
import dev.ledger.api.audit.AuditRoutes;
import dev.ledger.api.audit.Checkpointer;
import dev.ledger.api.audit.EvidenceLogStore;
import dev.ledger.api.auth.ApiKeys;
import dev.ledger.api.health.HealthRegistry;
import dev.ledger.cli.Stack;
import dev.ledger.cli.bench.BenchContext;
import dev.ledger.cli.bench.BenchResult;
import dev.ledger.cli.bench.BenchScenario;
import dev.ledger.cli.bench.Parallel;
import dev.ledger.cli.bench.Wrk;
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
import java.nio.file.Path;
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
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.postgresql.PGConnection;
import org.postgresql.copy.PGCopyOutputStream;

/**
 * {@code audit-proofs}: inclusion proofs of random leaves of one large evidence log (10 million leaves, the size of
 * the goal p99 < 5 ms, times {@code --scale}), each served by {@code GET /v1/sites/{site}/evidence-log/inclusion}
 * of the real API over HTTP (API key, tenant scope, checkpoint lookup, one query of the proof's O(log n) stored
 * nodes, JSON) to {@value #CLIENTS} concurrent clients, and verified against the signed checkpoint by the client.
 * The log's complete nodes are bulk-loaded with COPY into a schema of their own, as they are hashed: one COPY
 * stream per lower level (each in key order), the few upper nodes at the end, so memory stays O(n / 2^8).
 */
public final class AuditProofsBenchScenario implements BenchScenario {
  private static final int LOG_LEAVES = 10_000_000;
  private static final int PROOFS = 4_000;
  private static final int WARM_UP = 400;
  private static final int CLIENTS = 2;
  private static final int WRK_TARGETS = 20_000;
  private static final Duration WRK_WARM_UP = Duration.ofSeconds(3);
  private static final Duration WRK_DURATION = Duration.ofSeconds(15);
  private static final int PACED_DELAY_MS = 2;
  /** Levels below this one stream to a COPY of their own while the log is hashed; the rest are buffered. */
  private static final int STREAMED_LEVELS = 8;
  private static final String SITE = "big-site";
  private static final HexFormat HEX = HexFormat.of();

  @Override
  public String name() {
    return "audit-proofs";
  }

  @Override
  public String description() {
    return "inclusion proofs over HTTP from a large evidence log, " + CLIENTS + " clients, p50/p99";
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
    List<BenchResult> wrk;
    // The API serves from the pool `ledger dev` builds, its connections in the bench's schema from the start (not
    // the loader's data source, which sets and resets search_path around every checkout: two more round trips a
    // request, and every cached plan replanned, that a real deployment does not pay).
    try (HikariDataSource pool = Stack.pool(context.jdbcUrl(), schema);
        HealthRegistry health = new HealthRegistry(Duration.ofSeconds(5));
        Checkpointer checkpointer = new Checkpointer(pool, context.bootstrapServers(),
            Topics.EVIDENCE_CHECKPOINTS.name(), ledgerKey, Clock.systemUTC());
        ApiServer api = ApiServer.start("127.0.0.1", 0, health, EventSerde.mapper(), ApiConfig.of(pool)
            .withModules(List.of(new AuditRoutes(checkpointer))))) {
      HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
      String base = "http://127.0.0.1:" + api.port() + "/v1/sites/" + SITE + "/evidence-log/inclusion?position=";
      Parallel.timed(CLIENTS, CLIENTS, c -> requests(http, base, key, signed, leaves, 1_000 + c,
          WARM_UP / CLIENTS, null, 0));
      elapsed = Parallel.timed(CLIENTS, CLIENTS, c -> requests(http, base, key, signed, leaves, 7 + c,
          PROOFS / CLIENTS, micros, c * (PROOFS / CLIENTS)));
      wrk = wrk(context, api.port(), key, leaves);
    }
    long[] rawMicros = new long[PROOFS];
    Duration rawElapsed = nodeQueries(ds, leaves, rawMicros);
    AuditVerifyBenchScenario.drop(context.dataSource(), schema);
    Arrays.sort(micros);
    Arrays.sort(rawMicros);
    long nodes = 2L * leaves - Long.bitCount(leaves);
    List<BenchResult> results = new ArrayList<>(List.of(
        BenchResult.raw("audit-log-load", String.format("COPY of the %,d-leaf log's %,d complete nodes (hashing "
            + "included)", leaves, nodes), nodes, "nodes", load),
        new BenchResult(name(), String.format("GET .../evidence-log/inclusion of a random leaf of a %,d-leaf log "
            + "over HTTP, %d concurrent clients, verified against the signed checkpoint", leaves, CLIENTS), PROOFS,
            "proofs", elapsed, null, BenchResult.percentile(micros, 50),
            BenchResult.percentile(micros, 99)),
        new BenchResult("audit-proof-query", String.format("the same proofs' one query of leaf and nodes alone, "
            + "%d clients on open connections, no HTTP or scope (the floor of a proof on this machine now)",
            CLIENTS), PROOFS, "proofs", rawElapsed, null, BenchResult.percentile(rawMicros, 50),
            BenchResult.percentile(rawMicros, 99))));
    results.addAll(2, wrk);
    return results;
  }

  /**
   * The same route under wrk, a load generator in C, on {@value #CLIENTS} connections: the serving latency without
   * the JDK client's own (its selector thread and executor hand every response over twice; the proofs it fetched
   * above were verified, these are checked for status only), {@value #WRK_TARGETS} random positions in rotation.
   * Twice: as fast as the API answers (two closed loops keep both cores busy, so the latency includes the wait for
   * a turn on them), and with each connection pausing {@value #PACED_DELAY_MS} ms after each response (below
   * saturation: the latency is the time to serve a proof).
   */
  private static List<BenchResult> wrk(BenchContext context, int port, String key, int leaves) throws Exception {
    Path wrk = Wrk.find();
    if (wrk == null) {
      System.err.println("bench:   audit-proofs-wrk skipped: " + Wrk.MISSING);
      return List.of(BenchResult.raw("audit-proofs-wrk-skipped", Wrk.MISSING, 0, "proofs", Duration.ofNanos(1)));
    }
    SplittableRandom random = new SplittableRandom(11);
    List<Wrk.Target> targets = new ArrayList<>();
    for (int i = 0; i < WRK_TARGETS; i++) {
      targets.add(new Wrk.Target("/v1/sites/" + SITE + "/evidence-log/inclusion?position="
          + (1 + random.nextLong(leaves)), key));
    }
    String base = "http://127.0.0.1:" + port;
    Wrk.run(wrk, context.workDir(), base, targets, 0, CLIENTS, 1, WRK_WARM_UP);
    List<BenchResult> results = new ArrayList<>();
    for (int delay : new int[] {0, PACED_DELAY_MS}) {
      Wrk.Result r = Wrk.run(wrk, context.workDir(), base, targets, delay, CLIENTS, 1, WRK_DURATION)
          .requireClean("inclusion proofs");
      results.add(new BenchResult(delay == 0 ? "audit-proofs-wrk" : "audit-proofs-wrk-paced", String.format(
          "the same route under wrk (C, 1 thread, %d connections, %s, %d s after a %d s warm-up), %,d random "
          + "positions in rotation", CLIENTS, delay == 0 ? "as fast as answered"
              : "each pausing " + delay + " ms after each response", WRK_DURATION.toSeconds(),
          WRK_WARM_UP.toSeconds(), WRK_TARGETS), r.requests(), "proofs", r.duration(), null, r.p50Micros(),
          r.p99Micros()));
    }
    return results;
  }

  /** The route's node query alone, as the API runs it, for the same random leaves; latencies into micros. */
  private static Duration nodeQueries(DataSource ds, int leaves, long[] micros) throws Exception {
    return Parallel.timed(CLIENTS, CLIENTS, c -> {
      SplittableRandom random = new SplittableRandom(7 + c);
      int from = c * (PROOFS / CLIENTS);
      try (Connection connection = ds.getConnection(); Handle h = Jdbi.open(connection)) {
        for (int i = 0; i < PROOFS / CLIENTS; i++) {
          long index = random.nextLong(leaves);
          long t = System.nanoTime();
          EvidenceLogStore.Inclusion inclusion = EvidenceLogStore.inclusionWithLeaf(h, SITE, index, leaves);
          micros[from + i] = (System.nanoTime() - t) / 1_000;
          if (!Arrays.equals(inclusion.leafHash(), leaf(index))) {
            throw new IllegalStateException("leaf " + index + " is not the one loaded");
          }
        }
      }
    });
  }

  /** {@code count} proofs of random leaves; their latencies go to {@code micros[from..]} unless it is null. */
  private static Void requests(HttpClient http, String base, String key, Checkpoint signed, int leaves, long seed,
      int count, long[] micros, int from) throws Exception {
    SplittableRandom random = new SplittableRandom(seed);
    for (int i = 0; i < count; i++) {
      long position = 1 + random.nextLong(leaves);
      HttpRequest request = HttpRequest.newBuilder(URI.create(base + position))
          .header("Authorization", "Bearer " + key).timeout(Duration.ofSeconds(30)).build();
      long t = System.nanoTime();
      HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
      if (micros != null) {
        micros[from + i] = (System.nanoTime() - t) / 1_000;
      }
      check(response, position, signed);
    }
    return null;
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

  /**
   * Writes the log of {@code leaves} synthetic leaves, its head and a signed checkpoint; returns the root. Each of
   * the lower levels streams to a COPY of its own connection as its nodes complete (in key order, so its part of
   * the primary key grows at its right edge); the upper levels, 1/2^{@value #STREAMED_LEVELS} of the nodes, are
   * buffered and copied at the end.
   */
  private static byte[] load(DataSource ds, LedgerKey ledgerKey, int leaves) throws Exception {
    TreeFrontier log = new TreeFrontier();
    try (Connection c = ds.getConnection()) {
      c.setAutoCommit(false);
      try (Statement s = c.createStatement()) {
        s.execute("INSERT INTO partners VALUES ('bp', 'Bench MSP', NULL, '2026-01-01Z')");
        s.execute("INSERT INTO client_orgs VALUES ('bo', 'bp', 'Bench clinic')");
        s.execute("INSERT INTO sites VALUES ('" + SITE + "', 'bp', 'bo', 'big', 'UTC', '2026-01-01Z')");
      }
      List<LevelCopy> streamed = new ArrayList<>();
      List<List<byte[]>> upper = new ArrayList<>();
      try {
        for (long i = 0; i < leaves; i++) {
          for (TreeFrontier.Node n : log.append(leaf(i))) {
            int level = n.id().level();
            if (level < STREAMED_LEVELS) {
              if (streamed.size() == level) {
                streamed.add(new LevelCopy(ds.getConnection(), true));
              }
              streamed.get(level).write(level, n.id().index(), n.hash());
            } else {
              while (upper.size() <= level - STREAMED_LEVELS) {
                upper.add(new ArrayList<>());
              }
              upper.get(level - STREAMED_LEVELS).add(n.hash());
            }
          }
        }
        for (LevelCopy copy : streamed) {
          copy.finish();
        }
      } finally {
        for (LevelCopy copy : streamed) {
          copy.close();
        }
      }
      try (LevelCopy copy = new LevelCopy(c, false)) {
        for (int u = 0; u < upper.size(); u++) {
          List<byte[]> hashes = upper.get(u);
          for (int i = 0; i < hashes.size(); i++) {
            copy.write(STREAMED_LEVELS + u, i, hashes.get(i));
          }
        }
        copy.end();
      }
      AuditVerifyBenchScenario.head(c, SITE, log, EvidenceChain.GENESIS_PREV_HASH);
      AuditVerifyBenchScenario.checkpoint(c, ledgerKey, SITE, log);
      c.commit();
    }
    // A log of 10 million entries has been vacuumed and checkpointed long before anyone asks for proofs: without
    // this, the first reads of the freshly copied rows set their hint bits (dirtying the pages again), and the
    // autovacuum the load triggers and the checkpoint of its writes run during the measurement.
    try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
      s.execute("VACUUM (ANALYZE) evidence_log_nodes");
      s.execute("CHECKPOINT");
    }
    return log.root();
  }

  /** One COPY of node rows into evidence_log_nodes on a connection of its own (or a borrowed one). */
  private static final class LevelCopy implements AutoCloseable {
    private final Connection connection;
    private final boolean owned;
    private final PGCopyOutputStream out;
    private final Writer writer;
    private boolean ended;

    LevelCopy(Connection connection, boolean owned) throws Exception {
      this.connection = connection;
      this.owned = owned;
      connection.setAutoCommit(false);
      out = new PGCopyOutputStream(connection.unwrap(PGConnection.class),
          "COPY evidence_log_nodes (site_id, level, idx, hash) FROM STDIN", 1 << 16);
      writer = new OutputStreamWriter(out, StandardCharsets.US_ASCII);
    }

    void write(int level, long index, byte[] hash) throws Exception {
      writer.write(SITE + "\t" + level + "\t" + index + "\t\\\\x" + HEX.formatHex(hash) + "\n");
    }

    /** Ends the COPY (the rows are in the connection's open transaction). */
    void end() throws Exception {
      writer.flush();
      out.endCopy();
      ended = true;
    }

    /** Ends the COPY and commits it. */
    void finish() throws Exception {
      end();
      connection.commit();
    }

    /** Closes the connection this copy opened; a borrowed one stays open. */
    @Override
    public void close() throws Exception {
      try {
        if (!ended && out.isActive()) {
          out.cancelCopy();
        }
      } finally {
        if (owned) {
          connection.close();
        }
      }
    }
  }
}
