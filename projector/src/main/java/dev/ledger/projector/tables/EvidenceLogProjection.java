package dev.ledger.projector.tables;

import static dev.ledger.projector.tables.OrderedStatements.text;

import dev.ledger.events.CanonicalJson;
import dev.ledger.events.Envelope;
import dev.ledger.events.EvidenceSealed;
import dev.ledger.events.EvidenceSubmitted;
import dev.ledger.events.InvalidEventException;
import dev.ledger.events.merkle.EvidenceLog;
import dev.ledger.events.merkle.NodeId;
import dev.ledger.events.merkle.TreeFrontier;
import dev.ledger.events.rules.EvidenceChain;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Handle;

/**
 * evidence_log_nodes and evidence_log_heads from the sealed-evidence topic: each site's Merkle log
 * ({@link EvidenceLog}), leaf {@code chain_position - 1} per sealed link, every complete subtree stored as it
 * completes. A site's links arrive in chain order from one partition, so the log is the same on every replay. A
 * link must extend the log: the next position, committing to the previous link's chain hash, with a chain hash
 * that follows the rule; anything else is rejected (and dead-lettered) rather than forking the log. A link
 * delivered again with the same leaf is ignored. From the evidence topic it keeps, per evidence event, what the
 * appliance's signature covers exactly (evidence_envelopes: envelope fields and the canonical bundle JSON), so the
 * hash and signature of every bundle can be checked from PostgreSQL alone.
 */
final class EvidenceLogProjection implements Projection {
  static final String NAME = "evidence-log";
  private static final HexFormat HEX = HexFormat.of();

  private static final String NODE = """
      INSERT INTO evidence_log_nodes (site_id, level, idx, hash) VALUES (?, ?::smallint, ?::bigint, decode(?, 'hex'))
      ON CONFLICT (site_id, level, idx) DO NOTHING""";
  private static final String ENVELOPE = """
      INSERT INTO evidence_envelopes (event_id, site_id, appliance_id, schema_version, occurred_at, payload)
      VALUES (?::uuid, ?, ?, ?::integer, ?, ?)
      ON CONFLICT (event_id) DO NOTHING""";
  private static final String HEAD = """
      INSERT INTO evidence_log_heads (site_id, tree_size, root_hash, last_chain_hash)
      VALUES (?, ?::bigint, decode(?, 'hex'), ?)
      ON CONFLICT (site_id) DO UPDATE SET tree_size = EXCLUDED.tree_size, root_hash = EXCLUDED.root_hash,
        last_chain_hash = EXCLUDED.last_chain_hash""";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public List<String> topics(ProjectorTopics topics) {
    return List.of(topics.sealedEvidence(), topics.evidence());
  }

  @Override
  public void apply(Handle handle, List<Incoming> events, WriteMode mode) {
    OrderedStatements sql = new OrderedStatements(handle, mode);
    Map<String, SiteLog> logs = new LinkedHashMap<>();
    for (Incoming in : events) {
      Envelope e = in.envelope();
      if (e.payload() instanceof EvidenceSubmitted bundle) {
        sql.add(ENVELOPE, text(e.eventId()), e.siteId(), e.applianceId(), text(e.schemaVersion()),
            text(e.occurredAt()), CanonicalJson.string(bundle));
        continue;
      }
      if (!(e.payload() instanceof EvidenceSealed link)) {
        throw new InvalidEventException("type", e.type() + " is not a sealed evidence link");
      }
      SiteLog log = logs.get(e.siteId());
      if (log == null) {
        log = SiteLog.load(handle, e.siteId());
        logs.put(e.siteId(), log);
      }
      log.append(handle, sql, link);
    }
    for (SiteLog log : logs.values()) {
      if (log.frontier.size() > 0) {
        sql.add(HEAD, log.siteId, text(log.frontier.size()), HEX.formatHex(log.frontier.root()), log.lastChainHash);
      }
    }
    sql.flush();
  }

  /** A site's log as far as this batch has taken it. */
  private static final class SiteLog {
    final String siteId;
    final TreeFrontier frontier;
    String lastChainHash;

    private SiteLog(String siteId, TreeFrontier frontier, String lastChainHash) {
      this.siteId = siteId;
      this.frontier = frontier;
      this.lastChainHash = lastChainHash;
    }

    static SiteLog load(Handle handle, String siteId) {
      var head = handle.createQuery("SELECT tree_size, last_chain_hash FROM evidence_log_heads WHERE site_id = ?")
          .bind(0, siteId).map((rs, ctx) -> Map.entry(rs.getLong(1), rs.getString(2))).findOne();
      if (head.isEmpty()) {
        return new SiteLog(siteId, new TreeFrontier(), EvidenceChain.GENESIS_PREV_HASH);
      }
      long size = head.get().getKey();
      List<NodeId> ids = TreeFrontier.peakIds(size);
      Map<NodeId, byte[]> found = nodes(handle, siteId, ids);
      List<byte[]> peaks = new ArrayList<>();
      for (NodeId id : ids) {
        byte[] hash = found.get(id);
        if (hash == null) {
          throw new IllegalStateException("evidence log of " + siteId + " lacks node " + id + " of its head");
        }
        peaks.add(hash);
      }
      return new SiteLog(siteId, TreeFrontier.of(size, peaks), head.get().getValue());
    }

    void append(Handle handle, OrderedStatements sql, EvidenceSealed link) {
      long size = frontier.size();
      long position = link.chainPosition();
      byte[] leaf = EvidenceLog.leafHash(link);
      if (position <= size) {
        byte[] stored = nodes(handle, siteId, List.of(new NodeId(0, position - 1))).get(new NodeId(0, position - 1));
        if (stored != null && Arrays.equals(stored, leaf)) {
          return; // the same link again
        }
        throw new InvalidEventException("chain_position", "site " + siteId + " already has a different link at "
            + position + "; the evidence log never forks");
      }
      if (position != size + 1) {
        throw new InvalidEventException("chain_position", "site " + siteId + "'s evidence log has " + size
            + " links; link " + position + " would leave a gap");
      }
      if (!link.prevHash().equals(lastChainHash)) {
        throw new InvalidEventException("prev_hash", "link " + position + " of site " + siteId
            + " does not commit to the chain hash of link " + size);
      }
      if (!link.chainHash().equals(EvidenceChain.chainHash(link.bundleHash(), link.prevHash(), position))) {
        throw new InvalidEventException("chain_hash", "link " + position + " of site " + siteId
            + " has a chain hash that does not follow the chain rule");
      }
      for (TreeFrontier.Node node : frontier.append(leaf)) {
        sql.add(NODE, siteId, text(node.id().level()), text(node.id().index()), HEX.formatHex(node.hash()));
      }
      lastChainHash = link.chainHash();
    }
  }

  /** The stored hashes of these nodes of a site's log (absent ones are missing from the map). */
  static Map<NodeId, byte[]> nodes(Handle handle, String siteId, List<NodeId> ids) {
    if (ids.isEmpty()) {
      return Map.of();
    }
    String pairs = ids.stream().map(id -> "(" + id.level() + "," + id.index() + ")")
        .collect(Collectors.joining(","));
    Map<NodeId, byte[]> found = new HashMap<>();
    handle.createQuery("SELECT level, idx, hash FROM evidence_log_nodes WHERE site_id = ? AND (level, idx) IN ("
            + pairs + ")")
        .bind(0, siteId)
        .map((rs, ctx) -> Map.entry(new NodeId(rs.getInt(1), rs.getLong(2)), rs.getBytes(3)))
        .forEach(e -> found.put(e.getKey(), e.getValue()));
    return found;
  }
}
