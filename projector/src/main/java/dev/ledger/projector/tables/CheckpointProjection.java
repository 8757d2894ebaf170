package dev.ledger.projector.tables;

import static dev.ledger.projector.tables.OrderedStatements.text;

import dev.ledger.events.Envelope;
import dev.ledger.events.EvidenceLogCheckpointed;
import dev.ledger.events.InvalidEventException;
import java.util.List;
import org.jdbi.v3.core.Handle;

/**
 * evidence_log_checkpoints from the evidence-checkpoints topic: each signed checkpoint as published, the note
 * byte for byte. The first checkpoint of a (site, size) wins; signatures are checked by whoever relies on them
 * ({@code ledger audit verify}, auditors), not here, so a bad one stays visible instead of disappearing.
 */
final class CheckpointProjection implements Projection {
  static final String NAME = "evidence-checkpoints";

  private static final String INSERT = """
      INSERT INTO evidence_log_checkpoints (site_id, tree_size, origin, root_hash, note, event_id, signed_at)
      VALUES (?, ?::bigint, ?, decode(?, 'hex'), ?, ?::uuid, ?::timestamptz)
      ON CONFLICT DO NOTHING""";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public List<String> topics(ProjectorTopics topics) {
    return List.of(topics.checkpoints());
  }

  @Override
  public void apply(Handle handle, List<Incoming> events, WriteMode mode) {
    OrderedStatements sql = new OrderedStatements(handle, mode);
    for (Incoming in : events) {
      Envelope e = in.envelope();
      if (!(e.payload() instanceof EvidenceLogCheckpointed c)) {
        throw new InvalidEventException("type", e.type() + " is not an evidence log checkpoint");
      }
      if (!c.origin().endsWith("/evidence/" + e.siteId())) {
        throw new InvalidEventException("origin", "a checkpoint of site " + e.siteId() + " names log " + c.origin());
      }
      sql.add(INSERT, e.siteId(), text(c.treeSize()), c.origin(), c.rootHash(), c.note(), text(e.eventId()),
          text(e.occurredAt()));
    }
    sql.flush();
  }
}
