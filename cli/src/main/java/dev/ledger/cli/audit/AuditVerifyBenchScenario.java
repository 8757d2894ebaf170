package dev.ledger.cli.audit;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ledger.cli.bench.BenchContext;
import dev.ledger.cli.bench.BenchResult;
import dev.ledger.cli.bench.BenchScenario;
import dev.ledger.cli.bench.Parallel;
import dev.ledger.events.CanonicalJson;
import dev.ledger.events.CheckStatus;
import dev.ledger.events.Envelope;
import dev.ledger.events.EventSerde;
import dev.ledger.events.EvidenceCheck;
import dev.ledger.events.EvidenceSubmitted;
import dev.ledger.events.crypto.Signing;
import dev.ledger.events.merkle.Checkpoint;
import dev.ledger.events.merkle.EvidenceLog;
import dev.ledger.events.merkle.LedgerKey;
import dev.ledger.events.merkle.TreeFrontier;
import dev.ledger.events.rules.EvidenceChain;
import dev.ledger.migrations.Migrations;
import dev.ledger.projector.tables.SchemaDataSource;
import java.security.KeyPair;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import javax.sql.DataSource;

/**
 * {@code audit-verify}: {@code ledger audit verify} in bundles per second beside the raw Ed25519 verify rate of the
 * bytes the same envelopes' signatures cover (each appliance's key decoded once, as the verify does), measured in
 * the same run on every core (goal ≥ 0.7). The history (sites, appliances, signed bundles, chain, Merkle nodes,
 * signed checkpoints) is written straight into a schema of its own, dropped afterwards.
 */
public final class AuditVerifyBenchScenario implements BenchScenario {
  static final String RAW = "ed25519-verify-audit";
  /**
   * 5,000 bundles a site, an audit's history rather than a sample of it: with 1,000 a site three rounds of ~1.3 s
   * did not warm the verify up (0.54× best of 3; best of 10 gave 0.65×, 20,395 bundles/s, the rate at this size).
   */
  private static final int BUNDLES = 100_000;
  private static final int SITES = 20;
  private static final int ROUNDS = 3;
  private static final Instant T0 = Instant.parse("2026-11-01T00:00:00Z");

  @Override
  public String name() {
    return "audit-verify";
  }

  @Override
  public String description() {
    return "ledger audit verify from PostgreSQL vs raw Ed25519 verify of the same envelopes";
  }

  @Override
  public List<BenchResult> run(BenchContext context) throws Exception {
    return verify(context, context.count(BUNDLES));
  }

  private List<BenchResult> verify(BenchContext context, int bundles) throws Exception {
    String schema = "bench_audit_verify";
    DataSource ds = fresh(context.dataSource(), schema);
    LedgerKey ledgerKey = LedgerKey.loadOrCreate(context.workDir().resolve("audit-ledger-key"), "bench-ledger");
    List<KeyPair> keys = new ArrayList<>();
    List<byte[]> envelopes = new ArrayList<>(bundles);
    List<Signing.KeyVerifier> envelopeKeys = new ArrayList<>(bundles);
    try (Connection c = ds.getConnection()) {
      c.setAutoCommit(false);
      try (Statement s = c.createStatement()) {
        s.execute("INSERT INTO partners VALUES ('bp', 'Bench MSP', NULL, '2026-01-01Z')");
        s.execute("INSERT INTO client_orgs VALUES ('bo', 'bp', 'Bench clinic')");
      }
      TreeFrontier[] logs = new TreeFrontier[SITES];
      // Each appliance's key decoded once, as the verify does for each registered key.
      Signing.KeyVerifier[] siteKeys = new Signing.KeyVerifier[SITES];
      String[] prev = new String[SITES];
      try (PreparedStatement site = c.prepareStatement("INSERT INTO sites VALUES (?, 'bp', 'bo', ?, 'UTC', ?)");
          PreparedStatement appliance = c.prepareStatement("INSERT INTO appliances (appliance_id, site_id, hostname,"
              + " public_key, registered_at) VALUES (?, ?, 'host', ?, ?)")) {
        for (int s = 0; s < SITES; s++) {
          KeyPair pair = Signing.generateKeyPair();
          keys.add(pair);
          siteKeys[s] = Signing.keyVerifier(pair.getPublic());
          logs[s] = new TreeFrontier();
          prev[s] = EvidenceChain.GENESIS_PREV_HASH;
          site.setString(1, site(s));
          site.setString(2, site(s));
          site.setObject(3, OffsetDateTime.parse("2026-01-01T00:00:00Z"));
          site.execute();
          appliance.setString(1, "app-" + s);
          appliance.setString(2, site(s));
          appliance.setString(3, Signing.encodePublicKey(pair.getPublic()));
          appliance.setObject(4, OffsetDateTime.parse("2026-01-01T00:00:00Z"));
          appliance.execute();
        }
      }
      try (PreparedStatement bundle = c.prepareStatement("""
              INSERT INTO evidence_bundles (bundle_id, site_id, appliance_id, checked_at, received_at, bundle,
                bundle_hash, chain_position, prev_hash, chain_hash, signature, event_id)
              VALUES (?, ?, ?, ?::timestamptz, ?::timestamptz, ?::jsonb, ?, ?, ?, ?, ?, ?::uuid)""");
          PreparedStatement envelope = c.prepareStatement(
              "INSERT INTO evidence_envelopes VALUES (?::uuid, ?, ?, ?, ?, ?)");
          PreparedStatement node = c.prepareStatement("INSERT INTO evidence_log_nodes VALUES (?, ?, ?, ?)")) {
        for (int i = 0; i < bundles; i++) {
          int s = i % SITES;
          long position = logs[s].size() + 1;
          Instant at = T0.plusMillis(i);
          EvidenceSubmitted b = new EvidenceSubmitted("bundle-" + i, at, List.of(
              new EvidenceCheck("backup", CheckStatus.PASS, "host-1", null, "164.308(a)(7)"),
              new EvidenceCheck("encryption", CheckStatus.PASS, "host-1", null, "164.312(a)(2)(iv)")));
          Envelope signed = Signing.sign(Envelope.of(site(s), "app-" + s, at, b), keys.get(s).getPrivate());
          envelopes.add(EventSerde.serialize(signed));
          envelopeKeys.add(siteKeys[s]);
          String bundleHash = EvidenceChain.bundleHash(b);
          String chain = EvidenceChain.chainHash(bundleHash, prev[s], position);
          bundle.setString(1, b.bundleId());
          bundle.setString(2, site(s));
          bundle.setString(3, "app-" + s);
          bundle.setString(4, at.toString());
          bundle.setString(5, at.toString());
          bundle.setString(6, EventSerde.mapper().writeValueAsString(b));
          bundle.setString(7, bundleHash);
          bundle.setLong(8, position);
          bundle.setString(9, prev[s]);
          bundle.setString(10, chain);
          bundle.setString(11, signed.signature());
          bundle.setString(12, signed.eventId().toString());
          bundle.addBatch();
          envelope.setString(1, signed.eventId().toString());
          envelope.setString(2, site(s));
          envelope.setString(3, "app-" + s);
          envelope.setInt(4, signed.schemaVersion());
          envelope.setString(5, signed.occurredAt().toString());
          envelope.setString(6, CanonicalJson.string(b));
          envelope.addBatch();
          for (TreeFrontier.Node n : logs[s].append(EvidenceLog.leafHash(bundleHash, prev[s], position))) {
            node.setString(1, site(s));
            node.setInt(2, n.id().level());
            node.setLong(3, n.id().index());
            node.setBytes(4, n.hash());
            node.addBatch();
          }
          prev[s] = chain;
          if (i % 1000 == 999) {
            bundle.executeBatch();
            envelope.executeBatch();
            node.executeBatch();
          }
        }
        bundle.executeBatch();
        envelope.executeBatch();
        node.executeBatch();
      }
      for (int s = 0; s < SITES; s++) {
        head(c, site(s), logs[s], prev[s]);
        checkpoint(c, ledgerKey, site(s), logs[s]);
      }
      c.commit();
    }
    // A ledger's tables are vacuumed and analysed long before an audit; freshly loaded rows would make the first
    // scan set every row's hint bits (and write the pages again) instead.
    try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
      s.execute("VACUUM ANALYZE evidence_bundles, evidence_envelopes, evidence_log_nodes");
    }
    // The raw limit: Ed25519 verify alone of exactly the bytes each appliance signed (the canonical envelope
    // without its signature, same sizes), no parsing, on every core; and on one thread, to show the scaling.
    int cores = Runtime.getRuntime().availableProcessors();
    List<byte[]> messages = new ArrayList<>(bundles);
    List<byte[]> signatures = new ArrayList<>(bundles);
    for (byte[] envelope : envelopes) {
      JsonNode tree = EventSerde.parse(envelope);
      messages.add(Signing.signedBytes(tree));
      signatures.add(Base64.getDecoder().decode(tree.get("signature").asText()));
    }
    // The machine is shared: each figure is the best of ROUNDS, the rounds interleaved so that the raw limit and
    // the verify see the same spells of load.
    Duration rawOne = null;
    Duration raw = null;
    Duration audit = null;
    Duration query = null;
    EvidenceVerifier.Report report = null;
    for (int round = 0; round < ROUNDS; round++) {
      rawOne = min(rawOne, rawVerify(messages, signatures, envelopeKeys, 1));
      raw = min(raw, rawVerify(messages, signatures, envelopeKeys, cores));
      EvidenceVerifier verifier = new EvidenceVerifier(ds, ledgerKey.verifier(), n -> { });
      long start = System.nanoTime();
      report = verifier.verify(verifier.sites());
      audit = min(audit, Duration.ofNanos(System.nanoTime() - start));
      if (!report.broken().isEmpty() || report.bundles() != bundles) {
        throw new IllegalStateException("the benchmark history does not verify: " + report);
      }
      query = min(query, readAll(ds, cores));
    }
    drop(context.dataSource(), schema);
    return List.of(
        BenchResult.raw(RAW + "-1t", "Ed25519 verify alone of the bytes the appliances signed, one thread (best of "
            + ROUNDS + ")",
            bundles, "signatures", rawOne),
        BenchResult.raw(RAW, String.format("Ed25519 verify alone of the same bytes, %d threads (no parsing; best "
            + "of %d)", cores, ROUNDS), bundles, "signatures", raw),
        new BenchResult("audit-verify", String.format("ledger audit verify from PostgreSQL: rebuilt signed bytes, "
            + "hashes, chain, signatures, Merkle leaves and roots, checkpoints; %d sites on %d threads (best of %d, "
            + "interleaved with the raw runs)",
            SITES, EvidenceVerifier.defaultThreads(), ROUNDS), report.bundles(), "bundles", audit, RAW, null, null),
        BenchResult.raw("audit-verify-query", String.format("the verify's query alone: the same rows streamed from "
            + "PostgreSQL, nothing checked, %d sites on %d threads", SITES, cores), bundles, "rows", query));
  }

  /** Streams every site's rows of the verifier's query, {@code threads} sites at a time; the time it took. */
  private static Duration readAll(DataSource ds, int threads) throws Exception {
    return Parallel.timed(threads, SITES, s -> {
      try (Connection c = ds.getConnection()) {
        c.setAutoCommit(false);
        try (PreparedStatement q = c.prepareStatement(EvidenceVerifier.BUNDLES)) {
          q.setFetchSize(2_000);
          q.setString(1, site(s));
          long bytes = 0;
          try (ResultSet rs = q.executeQuery()) {
            while (rs.next()) {
              bytes += rs.getString(4).length() + rs.getBytes(12).length;
            }
          }
          if (bytes == 0) {
            throw new IllegalStateException("no rows read for " + site(s));
          }
        } finally {
          c.rollback();
        }
      }
    });
  }

  private static Duration min(Duration best, Duration d) {
    return best == null || d.compareTo(best) < 0 ? d : best;
  }

  /** Verifies every signature on {@code threads} threads (contiguous slices); the time it took. */
  private static Duration rawVerify(List<byte[]> messages, List<byte[]> signatures, List<Signing.KeyVerifier> keys,
      int threads) throws Exception {
    int slice = (messages.size() + threads - 1) / threads;
    return Parallel.timed(threads, threads, t -> {
      for (int i = t * slice; i < Math.min(messages.size(), (t + 1) * slice); i++) {
        if (!keys.get(i).verify(messages.get(i), signatures.get(i))) {
          throw new IllegalStateException("signature " + i + " does not verify");
        }
      }
    });
  }

  static void head(Connection c, String site, TreeFrontier log, String lastChain) throws Exception {
    try (PreparedStatement s = c.prepareStatement("INSERT INTO evidence_log_heads VALUES (?, ?, ?, ?)")) {
      s.setString(1, site);
      s.setLong(2, log.size());
      s.setBytes(3, log.root());
      s.setString(4, lastChain);
      s.execute();
    }
  }

  static void checkpoint(Connection c, LedgerKey key, String site, TreeFrontier log) throws Exception {
    Checkpoint checkpoint = new Checkpoint(key.origin(site), log.size(), log.root());
    try (PreparedStatement s = c.prepareStatement(
        "INSERT INTO evidence_log_checkpoints VALUES (?, ?, ?, ?, ?, gen_random_uuid(), ?::timestamptz)")) {
      s.setString(1, site);
      s.setLong(2, log.size());
      s.setString(3, checkpoint.origin());
      s.setBytes(4, log.root());
      s.setString(5, key.sign(checkpoint));
      s.setString(6, T0.toString());
      s.execute();
    }
  }

  static DataSource fresh(DataSource root, String schema) throws Exception {
    drop(root, schema);
    Migrations.apply(root, schema);
    return new SchemaDataSource(root, schema);
  }

  static void drop(DataSource root, String schema) throws Exception {
    try (Connection c = root.getConnection(); Statement s = c.createStatement()) {
      s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
    }
  }

  private static String site(int s) {
    return "bench-site-" + s;
  }
}
