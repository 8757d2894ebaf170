package dev.ledger.cli.audit;

import dev.ledger.api.audit.EvidenceLogStore;
import dev.ledger.api.audit.EvidenceLogStore.StoredCheckpoint;
import dev.ledger.events.EventTypes;
import dev.ledger.events.EvidenceSubmitted;
import dev.ledger.events.LedgerException;
import dev.ledger.events.crypto.Hashing;
import dev.ledger.events.crypto.Signing;
import dev.ledger.events.merkle.Checkpoint;
import dev.ledger.events.merkle.EvidenceLog;
import dev.ledger.events.merkle.MerkleHash;
import dev.ledger.events.merkle.MerkleProofs;
import dev.ledger.events.merkle.SignedNote.VerifierKey;
import dev.ledger.events.merkle.TreeFrontier;
import dev.ledger.events.rules.EvidenceChain;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Deque;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.LongConsumer;
import javax.sql.DataSource;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * Verifies the evidence history in PostgreSQL without trusting it: for each site it walks evidence_bundles in chain
 * order and, per bundle, checks that the stored bundle is the signed one (its canonical JSON, kept as signed in
 * evidence_envelopes), recomputes the bundle hash from that canonical content, checks the link to the previous one
 * and the chain hash, checks the appliance's signature over the rebuilt signed bytes against the key registered for
 * that appliance of that site, and compares the Merkle leaf with the stored log. At each checkpoint size it checks the
 * ledger's signature on the note, that the note says what the row says, that the signed root is the root recomputed
 * from the bundles (which proves every bundle so far included, at O(n) rather than O(n log n)), that the stored
 * nodes give the same root, and that the log is consistent with the previous checkpoint. The first failure in chain
 * order stops the site's walk and is named: site, position and what did not match. Sites are independent logs, so
 * they are walked in parallel, one thread per core (each on a connection of its own; findings in site order).
 */
final class EvidenceVerifier {
  private static final HexFormat HEX = HexFormat.of();
  /** Bundles checked between progress reports (the callback runs under a lock shared by the walks). */
  private static final long PROGRESS_EVERY = 1_000;
  private static final String EVIDENCE_TYPE = EventTypes.of(EvidenceSubmitted.class).name();
  /**
   * A site's bundles in chain order with what checking them needs (package-visible for the benchmark). The last
   * column compares the stored bundle with the signed payload, parsed once; a payload that does not cast to jsonb
   * fails the query with a data exception (class 22: 22P02 not JSON, 22P05 a \u0000, 22003 a number out of range),
   * and the site is walked again with {@link #BUNDLES_GUARDED}.
   */
  static final String BUNDLES = bundles("b.bundle = e.payload::jsonb");
  /**
   * The same, for a site whose stored payload is not JSON: the comparison is false there instead of an error, so
   * that the walk names the position. Only then: parsing every payload twice made the query alone ~20% slower.
   */
  static final String BUNDLES_GUARDED =
      bundles("CASE WHEN pg_input_is_valid(e.payload, 'jsonb') THEN b.bundle = e.payload::jsonb ELSE false END");
  /** PostgreSQL's class of data exceptions, which a stored payload that does not cast to jsonb raises. */
  private static final String DATA_EXCEPTION_CLASS = "22";

  /** The first broken link of a site. */
  record Finding(String siteId, long position, String what) {
    String describe() {
      return "site " + siteId + (position > 0 ? ", position " + position : "") + ": " + what;
    }
  }

  /** The outcome: what was checked, and the first broken link of each broken site (empty when all hold). */
  record Report(int sites, long bundles, long checkpoints, long pending, List<Finding> broken) {
  }

  private final DataSource dataSource;
  private final VerifierKey ledgerKey;
  private final LongConsumer progress;
  private final int threads;
  private final Map<String, Signing.KeyVerifier> keys = new ConcurrentHashMap<>();

  /**
   * Sites walked at once by default: two per core, so that a walk waiting for PostgreSQL to produce its next batch
   * of rows leaves its core to another walk (one per core, the verify threads ran ~57% of the wall time in a JFR of
   * the benchmark; on 2 cores no difference beyond noise was measured from the second walk per core).
   */
  static int defaultThreads() {
    return 2 * Runtime.getRuntime().availableProcessors();
  }

  /** A verifier walking up to {@link #defaultThreads()} sites at a time. */
  EvidenceVerifier(DataSource dataSource, VerifierKey ledgerKey, LongConsumer progress) {
    this(dataSource, ledgerKey, defaultThreads(), progress);
  }

  /**
   * A verifier walking up to {@code threads} sites at a time; each holds one connection of {@code dataSource} at a
   * time. {@code progress} is called under a lock, with the bundles checked since its last call.
   */
  EvidenceVerifier(DataSource dataSource, VerifierKey ledgerKey, int threads, LongConsumer progress) {
    if (threads < 1) {
      throw new IllegalArgumentException("threads must be at least 1, was " + threads);
    }
    this.dataSource = dataSource;
    this.ledgerKey = ledgerKey;
    LongConsumer serial = n -> {
      synchronized (this) {
        progress.accept(n);
      }
    };
    this.progress = serial;
    this.threads = threads;
  }

  /** The sites that have evidence, a log or checkpoints. */
  List<String> sites() {
    return Jdbi.create(dataSource).withHandle(h -> h.createQuery("""
        SELECT site_id FROM evidence_bundles UNION SELECT site_id FROM evidence_log_heads
        UNION SELECT site_id FROM evidence_log_checkpoints ORDER BY 1""").mapTo(String.class).list());
  }

  /** Bundles stored for these sites (for progress). */
  long countBundles(List<String> sites) {
    return Jdbi.create(dataSource).withHandle(h -> h.createQuery(
            "SELECT count(*) FROM evidence_bundles WHERE site_id = ANY(?)")
        .bind(0, sites.toArray(String[]::new)).mapTo(Long.class).one());
  }

  Report verify(List<String> sites) throws SQLException {
    long[] totals = new long[3];
    List<Finding> broken = new ArrayList<>();
    int pool = Math.min(threads, sites.size());
    if (pool <= 1) {
      for (String site : sites) {
        Finding finding = verifySite(site, totals);
        if (finding != null) {
          broken.add(finding);
        }
      }
      return new Report(sites.size(), totals[0], totals[1], totals[2], broken);
    }
    ExecutorService executor = Executors.newFixedThreadPool(pool, r -> {
      Thread t = new Thread(r, "audit-verify");
      t.setDaemon(true);
      return t;
    });
    try {
      List<Future<Object[]>> results = new ArrayList<>();
      for (String site : sites) {
        results.add(executor.submit(() -> {
          long[] siteTotals = new long[3];
          Finding finding = verifySite(site, siteTotals);
          return new Object[] {finding, siteTotals};
        }));
      }
      for (Future<Object[]> result : results) {
        Object[] r = result.get();
        if (r[0] != null) {
          broken.add((Finding) r[0]);
        }
        long[] siteTotals = (long[]) r[1];
        for (int i = 0; i < totals.length; i++) {
          totals[i] += siteTotals[i];
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while verifying", e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof SQLException sql) {
        throw sql;
      }
      if (e.getCause() instanceof RuntimeException re) {
        throw re;
      }
      throw new IllegalStateException(e.getCause());
    } finally {
      executor.shutdownNow();
    }
    return new Report(sites.size(), totals[0], totals[1], totals[2], broken);
  }

  private static String bundles(String sameAsSigned) {
    return """
        SELECT b.chain_position, b.bundle_id, b.appliance_id, e.payload, b.bundle_hash, b.prev_hash,
          b.chain_hash, b.signature, b.event_id, e.schema_version, e.occurred_at, n.hash,
          %s
        FROM evidence_bundles b
        LEFT JOIN evidence_envelopes e ON e.event_id = b.event_id
        LEFT JOIN evidence_log_nodes n ON n.site_id = b.site_id AND n.level = 0 AND n.idx = b.chain_position - 1
        WHERE b.site_id = ? ORDER BY b.chain_position""".formatted(sameAsSigned);
  }

  /** Walks one site; adds what it checked to {@code totals} (bundles, checkpoints, pending). */
  private Finding verifySite(String site, long[] totals) throws SQLException {
    long[] counted = new long[3];
    Finding finding;
    try {
      finding = walk(site, counted, BUNDLES, true);
    } catch (SQLException e) {
      if (e.getSQLState() == null || !e.getSQLState().startsWith(DATA_EXCEPTION_CLASS)) {
        throw e;
      }
      // A stored payload does not cast: walk again, comparing without the cast that failed, to name the position.
      counted = new long[3];
      finding = walk(site, counted, BUNDLES_GUARDED, false);
    }
    for (int i = 0; i < totals.length; i++) {
      totals[i] += counted[i];
    }
    return finding;
  }

  private Finding walk(String site, long[] totals, String bundlesSql, boolean reportProgress) throws SQLException {
    Jdbi jdbi = Jdbi.create(dataSource);
    Deque<StoredCheckpoint> checkpoints = new ArrayDeque<>(jdbi.withHandle(h -> EvidenceLogStore.checkpoints(h,
        site)));
    Map<String, String[]> appliances = new HashMap<>();
    jdbi.useHandle(h -> h.createQuery("SELECT appliance_id, site_id, public_key FROM appliances WHERE site_id = ?")
        .bind(0, site).map((rs, ctx) -> new String[] {rs.getString(1), rs.getString(2), rs.getString(3)})
        .forEach(a -> appliances.put(a[0], a)));
    TreeFrontier frontier = new TreeFrontier();
    StoredCheckpoint previous = null;
    String prevChain = EvidenceChain.GENESIS_PREV_HASH;
    long position = 0;
    long unreported = 0;
    // One connection a walk: the checkpoints' root and consistency queries run on the cursor's own connection (the
    // driver runs other statements while a cursor is open), so walks never wait on the pool for a second one.
    try (Connection c = dataSource.getConnection(); Handle h = Jdbi.open(c)) {
      c.setAutoCommit(false); // a cursor: rows stream in batches instead of the whole site at once
      c.setReadOnly(true);
      try (PreparedStatement s = c.prepareStatement(bundlesSql)) {
        s.setFetchSize(2_000);
        s.setString(1, site);
        try (ResultSet rs = s.executeQuery()) {
          while (rs.next()) {
            long stored = rs.getLong(1);
            position++;
            if (stored != position) {
              return new Finding(site, position, "bundle is missing (the next stored bundle is at position "
                  + stored + ")");
            }
            Link link = check(site, position, rs, prevChain, appliances);
            if (link.problem != null) {
              return new Finding(site, position, link.problem);
            }
            frontier.append(link.leaf);
            prevChain = link.chainHash;
            totals[0]++;
            if (reportProgress && ++unreported == PROGRESS_EVERY) {
              progress.accept(unreported);
              unreported = 0;
            }
            while (!checkpoints.isEmpty() && checkpoints.peekFirst().treeSize() <= position) {
              StoredCheckpoint cp = checkpoints.pollFirst();
              String problem = checkpoint(h, cp, frontier, previous);
              if (problem != null) {
                return new Finding(site, cp.treeSize(), problem);
              }
              totals[1]++;
              previous = cp;
            }
          }
        }
      } finally {
        c.rollback();
        c.setAutoCommit(true); // the handle closes outside any transaction
      }
    }
    if (unreported > 0) {
      progress.accept(unreported);
    }
    Long pendingUpTo = jdbi.withHandle(h -> h.createQuery(
            "SELECT max(chain_position) FROM evidence_seals WHERE site_id = ?")
        .bind(0, site).mapTo(Long.class).findOne().orElse(null));
    long projectedTo = position;
    long lastPending = pendingUpTo == null ? projectedTo : Math.max(projectedTo, pendingUpTo);
    if (!checkpoints.isEmpty()) {
      StoredCheckpoint cp = checkpoints.peekFirst();
      if (cp.treeSize() > lastPending) {
        return new Finding(site, projectedTo + 1, "bundle is missing: checkpoint at size " + cp.treeSize()
            + " covers it, and only " + projectedTo + " bundles are stored");
      }
      totals[2] += cp.treeSize() - projectedTo;
    }
    long logSize = jdbi.withHandle(h -> EvidenceLogStore.head(h, site).map(EvidenceLogStore.Head::treeSize)
        .orElse(0L));
    if (logSize > lastPending) {
      return new Finding(site, projectedTo + 1, "bundle is missing: the Merkle log has " + logSize
          + " leaves and only " + projectedTo + " bundles are stored");
    }
    return null;
  }

  /** The checks of one bundle row. */
  private record Link(String problem, byte[] leaf, String chainHash) {
    static Link broken(String problem) {
      return new Link(problem, null, null);
    }
  }

  private Link check(String site, long position, ResultSet rs, String prevChain, Map<String, String[]> appliances)
      throws SQLException {
    String bundleId = rs.getString(2);
    String payload = rs.getString(4);
    if (payload == null) {
      return Link.broken("the signed content of bundle " + bundleId + " (event " + rs.getString(9)
          + ") is not stored (evidence_envelopes)");
    }
    String bundleHash = Hashing.sha256Hex(payload.getBytes(StandardCharsets.UTF_8));
    String storedHash = rs.getString(5);
    if (!bundleHash.equals(storedHash)) {
      return Link.broken("bundle hash does not match the signed content of bundle " + bundleId + " (stored "
          + storedHash + ", recomputed " + bundleHash + ")");
    }
    if (!rs.getBoolean(13)) {
      return Link.broken("stored bundle " + bundleId + " differs from the bundle its appliance signed");
    }
    String prevHash = rs.getString(6);
    if (!prevChain.equals(prevHash)) {
      return Link.broken("prev_hash " + prevHash + " is not the chain hash of position " + (position - 1) + " ("
          + prevChain + ")");
    }
    String chainHash = EvidenceChain.chainHash(bundleHash, prevHash, position);
    if (!chainHash.equals(rs.getString(7))) {
      return Link.broken("chain hash does not match (stored " + rs.getString(7) + ", recomputed " + chainHash + ")");
    }
    String signatureProblem = signature(site, rs.getString(3), payload, rs, appliances);
    if (signatureProblem != null) {
      return Link.broken(signatureProblem);
    }
    byte[] leaf = EvidenceLog.leafHash(bundleHash, prevHash, position);
    byte[] storedLeaf = rs.getBytes(12);
    if (storedLeaf == null) {
      return Link.broken("the Merkle log has no leaf for this bundle");
    }
    if (!Arrays.equals(leaf, storedLeaf)) {
      return Link.broken("Merkle leaf of the log (" + HEX.formatHex(storedLeaf) + ") is not the leaf of this bundle ("
          + HEX.formatHex(leaf) + ")");
    }
    return new Link(null, leaf, chainHash);
  }

  private String signature(String site, String applianceId, String payload, ResultSet rs,
      Map<String, String[]> appliances) throws SQLException {
    String[] appliance = appliances.get(applianceId);
    if (appliance == null) {
      return "appliance " + applianceId + " is not registered at site " + site;
    }
    try {
      Signing.KeyVerifier key = keys.computeIfAbsent(appliance[2],
          text -> Signing.keyVerifier(Signing.decodePublicKey(text)));
      byte[] signed = signedBytes(rs.getObject(9, UUID.class), rs.getInt(10), site, applianceId,
          Instant.parse(rs.getString(11)), payload);
      byte[] signature = Base64.getDecoder().decode(rs.getString(8));
      if (!key.verify(signed, signature)) {
        return "appliance signature does not verify against the registered key of " + applianceId;
      }
    } catch (LedgerException | IllegalArgumentException | DateTimeException e) {
      return "appliance signature cannot be checked: " + e.getMessage();
    }
    return null;
  }

  /**
   * The bytes an appliance signed: the canonical JSON of its envelope without the signature, written around the
   * canonical payload as signed (already canonical, so inserted as it is).
   */
  static byte[] signedBytes(UUID eventId, int schemaVersion, String site, String applianceId, Instant occurredAt,
      String canonicalPayload) {
    return Signing.signedBytes(eventId, EVIDENCE_TYPE, schemaVersion, site, applianceId, occurredAt, canonicalPayload);
  }

  private String checkpoint(Handle h, StoredCheckpoint cp, TreeFrontier frontier, StoredCheckpoint previous) {
    String at = "checkpoint at size " + cp.treeSize();
    Checkpoint signed;
    try {
      signed = Checkpoint.open(cp.note(), ledgerKey);
    } catch (LedgerException e) {
      return at + ": " + e.getMessage();
    }
    String expectedOrigin = EvidenceLog.origin(ledgerKey.name(), cp.siteId());
    if (!signed.origin().equals(expectedOrigin) || !cp.origin().equals(expectedOrigin)) {
      return at + ": origin is " + signed.origin() + ", not " + expectedOrigin;
    }
    if (signed.size() != cp.treeSize() || !Arrays.equals(signed.root(), cp.rootHash())) {
      return at + ": the stored size or root differs from the signed note";
    }
    if (!Arrays.equals(signed.root(), frontier.root())) {
      return at + ": the signed root " + HEX.formatHex(signed.root()) + " is not the root of the stored bundles "
          + HEX.formatHex(frontier.root());
    }
    try {
      byte[] storedRoot = EvidenceLogStore.root(h, cp.siteId(), cp.treeSize());
      if (!MerkleHash.equal(storedRoot, signed.root())) {
        return at + ": the stored Merkle nodes give root " + HEX.formatHex(storedRoot) + ", not the signed one";
      }
      if (previous != null && previous.treeSize() > 0) {
        List<byte[]> proof = EvidenceLogStore.consistency(h, cp.siteId(), previous.treeSize(), cp.treeSize());
        if (!MerkleProofs.verifyConsistency(previous.treeSize(), previous.rootHash(), cp.treeSize(), signed.root(),
            proof)) {
          return at + ": not consistent with the checkpoint at size " + previous.treeSize();
        }
      }
    } catch (EvidenceLogStore.MissingNodeException e) {
      return at + ": " + e.getMessage();
    }
    return null;
  }
}
