package dev.ledger.cli.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.ledger.events.CanonicalJson;
import dev.ledger.events.EventSerde;
import dev.ledger.events.EvidenceSubmitted;
import dev.ledger.events.crypto.Hashing;
import dev.ledger.events.merkle.EvidenceLog;
import dev.ledger.events.merkle.MemoryTree;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.transaction.TransactionIsolationLevel;

/**
 * What an audit packet holds, read from the PostgreSQL projection in one repeatable-read snapshot: the site's
 * sealed bundles checked in the range (in chain order), every link of its chain up to the last of them (for the
 * Merkle tree), the appliances that signed them, and the first stored checkpoint that covers them. The database
 * is not trusted: each bundle's canonical JSON must hash to its recorded bundle hash, and every number the packet
 * carries is checked again offline by its verify.sh.
 */
final class PacketSource {

  /** One sealed bundle: its link of the chain and the canonical JSON its bundle hash is taken of. */
  record Bundle(long position, String bundleId, String applianceId, Instant checkedAt, String bundleHash,
      String prevHash, String chainHash, String signature, String eventId, byte[] canonical,
      EvidenceSubmitted payload) {
  }

  record Appliance(String applianceId, String hostname, String publicKey) {
  }

  /** A checkpoint as stored: its size and the signed note. */
  record StoredCheckpoint(long size, String note) {
  }

  /**
   * The packet's data; {@code tree} holds the site's log up to {@code checkpoint}, the published checkpoint the
   * bundles are proven against (the smallest that covers the last of them).
   */
  record Data(List<Bundle> bundles, MemoryTree tree, List<Appliance> appliances, StoredCheckpoint checkpoint) {
  }

  /**
   * No published checkpoint covers the last bundle of the period yet (or it covers links not projected yet). An
   * export never signs a tree head of its own: a tree head signed from rows read back from PostgreSQL would put a
   * fresh ledger signature on whatever the database holds.
   */
  static final class NotCheckpointed extends RuntimeException {
    private static final long serialVersionUID = 1L;

    NotCheckpointed(String message) {
      super(message);
    }
  }

  /** A bundle whose JSON in PostgreSQL does not hash to its recorded bundle hash. */
  static final class Mismatch extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Mismatch(String message) {
      super(message);
    }
  }

  private static final String BUNDLES = """
      SELECT chain_position, bundle_id, appliance_id, checked_at, bundle::text, bundle_hash, prev_hash, chain_hash,
        signature, event_id::text
      FROM evidence_bundles WHERE site_id = ? AND chain_position BETWEEN ? AND ?
      ORDER BY chain_position""";
  /** The run of chain positions that holds every bundle checked in the window. */
  private static final String RUN = """
      SELECT min(chain_position), max(chain_position) FROM evidence_bundles
      WHERE site_id = ? AND checked_at >= ?::timestamptz AND checked_at < ?::timestamptz""";
  private static final String LINKS = """
      SELECT chain_position, bundle_hash, prev_hash FROM evidence_bundles
      WHERE site_id = ? AND chain_position <= ? ORDER BY chain_position""";
  private static final String APPLIANCES = """
      SELECT appliance_id, hostname, public_key FROM appliances WHERE appliance_id = ANY (?) ORDER BY appliance_id""";
  private static final String CHECKPOINT = """
      SELECT tree_size, note FROM evidence_log_checkpoints WHERE site_id = ? AND tree_size >= ?
      ORDER BY tree_size LIMIT 1""";

  private PacketSource() {
  }

  static boolean siteExists(Jdbi jdbi, String siteId) {
    return jdbi.withHandle(h -> h.createQuery("SELECT count(*) FROM sites WHERE site_id = ?").bind(0, siteId)
        .mapTo(Long.class).one() > 0);
  }

  /**
   * The data of the bundles of {@code siteId} checked in [from, to), with every bundle between the first and the
   * last of them in chain order (none when no bundle was checked in the window).
   */
  static Data read(Jdbi jdbi, String siteId, Instant from, Instant to) {
    return jdbi.inTransaction(TransactionIsolationLevel.REPEATABLE_READ, h -> {
      h.execute("SET TRANSACTION READ ONLY");
      long[] run = h.createQuery(RUN).bind(0, siteId).bind(1, from.toString()).bind(2, to.toString())
          .map((rs, ctx) -> new long[] {rs.getLong(1), rs.getLong(2)}).one();
      // Agents' clocks decide checked_at, the ledger decides positions: a bundle checked in the window may sit
      // between two that were not. The packet holds the whole run of positions so that an auditor can check
      // that none is missing; the reports count only the bundles checked in the window.
      List<Bundle> bundles = h.createQuery(BUNDLES).bind(0, siteId).bind(1, run[0]).bind(2, run[1])
          .map((rs, ctx) -> bundle(rs.getLong(1), rs.getString(2), rs.getString(3),
              rs.getObject(4, OffsetDateTime.class).toInstant(), rs.getString(5), rs.getString(6), rs.getString(7),
              rs.getString(8), rs.getString(9), rs.getString(10)))
          .list();
      if (bundles.isEmpty()) {
        return new Data(bundles, new MemoryTree(), List.of(), null);
      }
      long last = bundles.get(bundles.size() - 1).position();
      StoredCheckpoint checkpoint = checkpoint(h, siteId, last).orElseThrow(() -> new NotCheckpointed(
          "no published checkpoint of " + siteId + " covers chain position " + last + " (the last bundle of the "
              + "period) yet; sign one with 'ledger audit checkpoint --site " + siteId + "' (or wait for the "
              + "checkpoint interval) and export again"));
      long size = checkpoint.size();
      MemoryTree tree = new MemoryTree();
      long[] expected = {1};
      h.createQuery(LINKS).bind(0, siteId).bind(1, size).map((rs, ctx) -> {
        long position = rs.getLong(1);
        if (position != expected[0]++) {
          throw new Mismatch("the chain of " + siteId + " has a gap before position " + position);
        }
        tree.appendHash(EvidenceLog.leafHash(rs.getString(2), rs.getString(3), position));
        return position;
      }).list();
      if (tree.size() < size) {
        throw new NotCheckpointed("the checkpoint of " + siteId + " at size " + size + " covers links that are "
            + "still being projected (" + tree.size() + " stored); export again in a moment");
      }
      String[] ids = bundles.stream().map(Bundle::applianceId).distinct().sorted().toArray(String[]::new);
      List<Appliance> appliances = h.createQuery(APPLIANCES).bind(0, ids)
          .map((rs, ctx) -> new Appliance(rs.getString(1), rs.getString(2), rs.getString(3))).list();
      return new Data(bundles, tree, appliances, checkpoint);
    });
  }

  private static Optional<StoredCheckpoint> checkpoint(Handle h, String siteId, long size) {
    h.execute("SAVEPOINT checkpoint");
    try {
      Optional<StoredCheckpoint> found = h.createQuery(CHECKPOINT).bind(0, siteId).bind(1, size)
          .map((rs, ctx) -> new StoredCheckpoint(rs.getLong(1), rs.getString(2))).findOne();
      h.execute("RELEASE SAVEPOINT checkpoint");
      return found;
    } catch (RuntimeException e) {
      if (!(e.getCause() instanceof SQLException sql) || !"42P01".equals(sql.getSQLState())) {
        throw e;
      }
      // No checkpoint table yet (a schema before V10): nothing is checkpointed.
      h.execute("ROLLBACK TO SAVEPOINT checkpoint");
      return Optional.empty();
    }
  }

  private static Bundle bundle(long position, String bundleId, String applianceId, Instant checkedAt, String json,
      String bundleHash, String prevHash, String chainHash, String signature, String eventId) {
    JsonNode tree;
    try {
      tree = EventSerde.mapper().readTree(json);
    } catch (JsonProcessingException e) {
      throw new Mismatch("bundle " + bundleId + " at chain position " + position + " is not JSON");
    }
    byte[] canonical = CanonicalJson.bytes(tree);
    String hash = Hashing.sha256Hex(canonical);
    if (!hash.equals(bundleHash.strip())) {
      throw new Mismatch("bundle " + bundleId + " at chain position " + position + ": its JSON hashes to " + hash
          + ", the chain says " + bundleHash.strip());
    }
    EvidenceSubmitted payload;
    try {
      payload = EventSerde.mapper().treeToValue(tree, EvidenceSubmitted.class);
    } catch (JsonProcessingException | RuntimeException e) {
      throw new Mismatch("bundle " + bundleId + " at chain position " + position + " is not an evidence bundle: "
          + e.getMessage());
    }
    return new Bundle(position, bundleId, applianceId, checkedAt, bundleHash.strip(), prevHash.strip(),
        chainHash.strip(), signature, eventId, canonical, payload);
  }
}
