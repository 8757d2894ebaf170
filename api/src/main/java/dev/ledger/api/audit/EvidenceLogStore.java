package dev.ledger.api.audit;

import dev.ledger.api.auth.Tenancy;
import dev.ledger.events.merkle.MerkleProofs;
import dev.ledger.events.merkle.NodeId;
import dev.ledger.events.merkle.NodeSource;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Handle;

/**
 * Reads the per-site evidence logs that the {@code evidence-log} projection keeps (V10): heads, complete nodes and
 * signed checkpoints, and the proofs made from them. A proof names its O(log n) nodes up front and fetches them in
 * one primary-key query ({@link MerkleProofs#inclusionNodes}), which is what keeps proofs fast on huge logs.
 */
public final class EvidenceLogStore {

  /** A site's log as projected: size, root and the chain hash of its last link. */
  public record Head(String siteId, long treeSize, byte[] rootHash, String lastChainHash) {
  }

  /** A signed checkpoint as published. */
  public record StoredCheckpoint(String siteId, long treeSize, String origin, byte[] rootHash, String note,
      UUID eventId, Instant signedAt) {
  }

  /** A complete node named by a proof is missing: the log is still being projected, or the table was damaged. */
  public static final class MissingNodeException extends IllegalStateException {
    public MissingNodeException(String message) {
      super(message);
    }
  }

  private static final String NODES = """
      SELECT n.level, n.idx, n.hash
      FROM unnest(?::integer[], ?::bigint[]) AS v(level, idx)
      JOIN evidence_log_nodes n ON n.site_id = ? AND n.level = v.level AND n.idx = v.idx""";
  private static final String CHECKPOINT_COLUMNS =
      "site_id, tree_size, origin, root_hash, note, event_id, signed_at FROM evidence_log_checkpoints";

  private EvidenceLogStore() {
  }

  public static Optional<Head> head(Handle h, String siteId) {
    return h.createQuery("SELECT site_id, tree_size, root_hash, last_chain_hash FROM evidence_log_heads "
            + "WHERE site_id = ?")
        .bind(0, siteId)
        .map((rs, ctx) -> new Head(rs.getString(1), rs.getLong(2), rs.getBytes(3), rs.getString(4)))
        .findOne();
  }

  /** Every site with a log, in site order. */
  public static List<Head> heads(Handle h) {
    return h.createQuery("SELECT site_id, tree_size, root_hash, last_chain_hash FROM evidence_log_heads "
            + "ORDER BY site_id")
        .map((rs, ctx) -> new Head(rs.getString(1), rs.getLong(2), rs.getBytes(3), rs.getString(4)))
        .list();
  }

  public static Optional<StoredCheckpoint> latestCheckpoint(Handle h, String siteId) {
    return h.createQuery("SELECT " + CHECKPOINT_COLUMNS + " WHERE site_id = ? ORDER BY tree_size DESC LIMIT 1")
        .bind(0, siteId).map((rs, ctx) -> checkpoint(rs)).findOne();
  }

  public static Optional<StoredCheckpoint> firstCheckpoint(Handle h, String siteId) {
    return h.createQuery("SELECT " + CHECKPOINT_COLUMNS + " WHERE site_id = ? ORDER BY tree_size LIMIT 1")
        .bind(0, siteId).map((rs, ctx) -> checkpoint(rs)).findOne();
  }

  public static Optional<StoredCheckpoint> checkpoint(Handle h, String siteId, long treeSize) {
    return h.createQuery("SELECT " + CHECKPOINT_COLUMNS + " WHERE site_id = ? AND tree_size = ?")
        .bind(0, siteId).bind(1, treeSize).map((rs, ctx) -> checkpoint(rs)).findOne();
  }

  /** The smallest checkpoint of the site covering at least {@code treeSize} leaves. */
  public static Optional<StoredCheckpoint> checkpointCovering(Handle h, String siteId, long treeSize) {
    return h.createQuery("SELECT " + CHECKPOINT_COLUMNS
            + " WHERE site_id = ? AND tree_size >= ? ORDER BY tree_size LIMIT 1")
        .bind(0, siteId).bind(1, treeSize).map((rs, ctx) -> checkpoint(rs)).findOne();
  }

  /** Every checkpoint of the site, smallest first. */
  public static List<StoredCheckpoint> checkpoints(Handle h, String siteId) {
    return h.createQuery("SELECT " + CHECKPOINT_COLUMNS + " WHERE site_id = ? ORDER BY tree_size")
        .bind(0, siteId).map((rs, ctx) -> checkpoint(rs)).list();
  }

  /**
   * A site, its bundle at a chain position (null fields if not projected) and the smallest checkpoint covering
   * that position: what an inclusion proof by position needs before its nodes, read in one query.
   */
  public record PositionLookup(Tenancy.SiteRef site, String bundleId, String bundleHash, String prevHash,
      Optional<StoredCheckpoint> checkpoint) {
  }

  private static final String POSITION_LOOKUP = """
      SELECT s.site_id, s.partner_id, s.client_org_id, b.bundle_id, b.bundle_hash, b.prev_hash,
        c.site_id, c.tree_size, c.origin, c.root_hash, c.note, c.event_id, c.signed_at
      FROM sites s
      LEFT JOIN evidence_bundles b ON b.site_id = s.site_id AND b.chain_position = :position
      LEFT JOIN LATERAL (
        SELECT site_id, tree_size, origin, root_hash, note, event_id, signed_at FROM evidence_log_checkpoints
        WHERE site_id = s.site_id AND tree_size >= :position ORDER BY tree_size LIMIT 1) c ON true
      WHERE s.site_id = :site""";

  /** The site (empty if unknown), its bundle at {@code position} and the checkpoint covering it, in one query. */
  public static Optional<PositionLookup> positionLookup(Handle h, String siteId, long position) {
    return h.createQuery(POSITION_LOOKUP).bind("site", siteId).bind("position", position)
        .map((rs, ctx) -> new PositionLookup(new Tenancy.SiteRef(rs.getString(1), rs.getString(2), rs.getString(3)),
            rs.getString(4), rs.getString(5), rs.getString(6),
            rs.getString(7) == null ? Optional.empty() : Optional.of(new StoredCheckpoint(rs.getString(7),
                rs.getLong(8), rs.getString(9), rs.getBytes(10), rs.getString(11), rs.getObject(12, UUID.class),
                rs.getObject(13, OffsetDateTime.class).toInstant()))))
        .findOne();
  }

  /** Inclusion proof of leaf {@code index} in the site's log at {@code size}. */
  public static List<byte[]> inclusion(Handle h, String siteId, long index, long size) {
    return MerkleProofs.inclusion(nodes(h, siteId, MerkleProofs.inclusionNodes(index, size)), index, size);
  }

  /** A leaf hash and its inclusion proof, read in one query. */
  public record Inclusion(long index, long treeSize, byte[] leafHash, List<byte[]> proof) {
  }

  /** Leaf {@code index} and its inclusion proof in the site's log at {@code size}: one primary-key query. */
  public static Inclusion inclusionWithLeaf(Handle h, String siteId, long index, long size) {
    List<NodeId> ids = new ArrayList<>(MerkleProofs.inclusionNodes(index, size));
    ids.add(new NodeId(0, index));
    NodeSource nodes = nodes(h, siteId, ids);
    return new Inclusion(index, size, nodes.node(0, index), MerkleProofs.inclusion(nodes, index, size));
  }

  /** Consistency proof of the site's log from {@code first} to {@code second} leaves. */
  public static List<byte[]> consistency(Handle h, String siteId, long first, long second) {
    return MerkleProofs.consistency(
        nodes(h, siteId, MerkleProofs.consistencyNodes(first, second)), first, second);
  }

  /** The root of the site's log at {@code size} leaves, computed from the stored nodes. */
  public static byte[] root(Handle h, String siteId, long size) {
    return MerkleProofs.root(nodes(h, siteId, MerkleProofs.rootNodes(size)), size);
  }

  /** The stored leaf hash of leaf {@code index}, if the log has it. */
  public static Optional<byte[]> leaf(Handle h, String siteId, long index) {
    return h.createQuery("SELECT hash FROM evidence_log_nodes WHERE site_id = ? AND level = 0 AND idx = ?")
        .bind(0, siteId).bind(1, index).mapTo(byte[].class).findOne();
  }

  /** These nodes of the site's log, fetched in one query, as a source that fails on any other node. */
  public static NodeSource nodes(Handle h, String siteId, List<NodeId> ids) {
    Map<NodeId, byte[]> found = new HashMap<>();
    if (!ids.isEmpty()) {
      // One statement text for every proof (prepared once per connection); a nested loop of primary-key lookups.
      h.createQuery(NODES)
          .bind(0, ids.stream().map(NodeId::level).toArray(Integer[]::new))
          .bind(1, ids.stream().map(NodeId::index).toArray(Long[]::new))
          .bind(2, siteId)
          .map((rs, ctx) -> Map.entry(new NodeId(rs.getInt(1), rs.getLong(2)), rs.getBytes(3)))
          .forEach(e -> found.put(e.getKey(), e.getValue()));
    }
    return (level, index) -> {
      byte[] hash = found.get(new NodeId(level, index));
      if (hash == null) {
        throw new MissingNodeException("the evidence log of " + siteId + " has no node (" + level + ", " + index
            + ")");
      }
      return hash;
    };
  }

  private static StoredCheckpoint checkpoint(ResultSet rs) throws SQLException {
    return new StoredCheckpoint(rs.getString(1), rs.getLong(2), rs.getString(3), rs.getBytes(4), rs.getString(5),
        rs.getObject(6, UUID.class), rs.getObject(7, OffsetDateTime.class).toInstant());
  }
}
