package dev.ledger.projector.tables;

import static dev.ledger.projector.tables.OrderedStatements.text;

import dev.ledger.events.Envelope;
import dev.ledger.events.InvalidEventException;
import dev.ledger.events.PatternScope;
import dev.ledger.events.PromotionDecided;
import java.util.List;
import org.jdbi.v3.core.Handle;

/**
 * promotion_decisions from the promotion topic: the latest human decision per (scope, site, pattern). One key's
 * decisions share a partition, so the last one applied is the last one in Kafka, on every replay.
 */
final class PromotionProjection implements Projection {
  static final String NAME = "promotions";

  private static final String DECIDED = """
      INSERT INTO promotion_decisions (scope, site_id, pattern_signature, decision, action, decided_by, reason,
        decided_at, event_id)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?::timestamptz, ?::uuid)
      ON CONFLICT (scope, site_id, pattern_signature) DO UPDATE SET decision = EXCLUDED.decision,
        action = EXCLUDED.action, decided_by = EXCLUDED.decided_by, reason = EXCLUDED.reason,
        decided_at = EXCLUDED.decided_at, event_id = EXCLUDED.event_id""";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public List<String> topics(ProjectorTopics topics) {
    return List.of(topics.promotions());
  }

  @Override
  public void apply(Handle handle, List<Incoming> events, WriteMode mode) {
    OrderedStatements sql = new OrderedStatements(handle, mode);
    for (Incoming in : events) {
      Envelope e = in.envelope();
      if (!(e.payload() instanceof PromotionDecided d)) {
        throw new InvalidEventException("type", e.type() + " is not a promotion event");
      }
      boolean fleet = d.scope() == PatternScope.FLEET;
      if (fleet != Envelope.FLEET_SITE_ID.equals(e.siteId())) {
        throw new InvalidEventException("site_id",
            "must be '" + Envelope.FLEET_SITE_ID + "' exactly when the scope is fleet, was " + e.siteId());
      }
      sql.add(DECIDED, d.scope().wire(), fleet ? "" : e.siteId(), d.patternSignature(), d.decision().wire(),
          d.action(), d.decidedBy(), d.reason(), text(e.occurredAt()), text(e.eventId()));
    }
    sql.flush();
  }
}
