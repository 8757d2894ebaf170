package dev.ledger.api.audit;

import dev.ledger.api.RouteModule;
import dev.ledger.events.crypto.Signing;
import dev.ledger.events.merkle.Checkpoint;
import dev.ledger.events.merkle.EvidenceLog;
import dev.ledger.events.merkle.LedgerKey;
import dev.ledger.events.rules.EvidenceChain;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * For API fixtures that seed their own evidence_bundles: the evidence-log rows (leaf, head, a signed checkpoint)
 * of a site's chain as the evidence-log projection would write them, and the read-only audit routes to serve them.
 */
public final class AuditSeed {
  private final LedgerKey key = new LedgerKey(EvidenceLog.DEFAULT_LEDGER_NAME, Signing.generateKeyPair());

  /** The audit routes without a checkpointer (POST /v1/audit/checkpoints answers 503). */
  public RouteModule routes() {
    return new AuditRoutes(key.verifier(), null);
  }

  /** Logs and checkpoints the first link of {@code siteId}'s evidence_bundles (a one-leaf log). */
  public void firstLink(DataSource dataSource, String siteId) throws SQLException {
    try (Connection c = dataSource.getConnection()) {
      String bundleHash;
      String chainHash;
      try (PreparedStatement s = c.prepareStatement(
          "SELECT bundle_hash, chain_hash FROM evidence_bundles WHERE site_id = ? AND chain_position = 1")) {
        s.setString(1, siteId);
        try (ResultSet rs = s.executeQuery()) {
          rs.next();
          bundleHash = rs.getString(1);
          chainHash = rs.getString(2);
        }
      }
      byte[] leaf = EvidenceLog.leafHash(bundleHash, EvidenceChain.GENESIS_PREV_HASH, 1);
      Checkpoint checkpoint = new Checkpoint(key.origin(siteId), 1, leaf);
      try (PreparedStatement node = c.prepareStatement("INSERT INTO evidence_log_nodes VALUES (?, 0, 0, ?)");
          PreparedStatement head = c.prepareStatement("INSERT INTO evidence_log_heads VALUES (?, 1, ?, ?)");
          PreparedStatement signed = c.prepareStatement("INSERT INTO evidence_log_checkpoints VALUES "
              + "(?, 1, ?, ?, ?, gen_random_uuid(), '2026-11-28T11:00:00Z')")) {
        node.setString(1, siteId);
        node.setBytes(2, leaf);
        node.execute();
        head.setString(1, siteId);
        head.setBytes(2, leaf);
        head.setString(3, chainHash);
        head.execute();
        signed.setString(1, siteId);
        signed.setString(2, checkpoint.origin());
        signed.setBytes(3, leaf);
        signed.setString(4, key.sign(checkpoint));
        signed.execute();
      }
    }
  }
}
