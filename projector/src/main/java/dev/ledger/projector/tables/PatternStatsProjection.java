package dev.ledger.projector.tables;

import static dev.ledger.projector.tables.OrderedStatements.text;

import dev.ledger.events.Envelope;
import dev.ledger.events.InvalidEventException;
import dev.ledger.events.PatternScope;
import dev.ledger.events.PatternStatsChanged;
import java.util.List;
import org.jdbi.v3.core.Handle;

/**
 * pattern_stats from the compacted pattern-stats topic: each record is the full latest state of one (scope,
 * site, pattern), eligibility included, so a row is simply overwritten. promotion_status (a human's decision) is
 * left alone. The promotion-eligibility topic repeats what these records carry and is not read, so that one
 * column has one source and the table does not depend on how two topics interleave.
 */
final class PatternStatsProjection implements Projection {
  static final String NAME = "pattern-stats";

  private static final String UPSERT = """
      INSERT INTO pattern_stats (scope, site_id, pattern_signature, occurrences, l1_resolutions, l2_resolutions,
        l3_resolutions, successes, total_resolution_time_ms, last_seen, last_successful_action, distinct_sites,
        promotion_eligible, updated_at)
      VALUES (?, ?, ?, ?::bigint, ?::bigint, ?::bigint, ?::bigint, ?::bigint, ?::bigint, ?::timestamptz, ?,
        ?::integer, ?::boolean, ?::timestamptz)
      ON CONFLICT (scope, site_id, pattern_signature) DO UPDATE SET occurrences = EXCLUDED.occurrences,
        l1_resolutions = EXCLUDED.l1_resolutions, l2_resolutions = EXCLUDED.l2_resolutions,
        l3_resolutions = EXCLUDED.l3_resolutions, successes = EXCLUDED.successes,
        total_resolution_time_ms = EXCLUDED.total_resolution_time_ms, last_seen = EXCLUDED.last_seen,
        last_successful_action = EXCLUDED.last_successful_action, distinct_sites = EXCLUDED.distinct_sites,
        promotion_eligible = EXCLUDED.promotion_eligible, updated_at = EXCLUDED.updated_at""";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public List<String> topics(ProjectorTopics topics) {
    return List.of(topics.patternStats());
  }

  @Override
  public void apply(Handle handle, List<Incoming> events, WriteMode mode) {
    OrderedStatements sql = new OrderedStatements(handle, mode);
    for (Incoming in : events) {
      Envelope e = in.envelope();
      if (!(e.payload() instanceof PatternStatsChanged s)) {
        throw new InvalidEventException("type", e.type() + " is not a pattern stats event");
      }
      boolean fleet = s.scope() == PatternScope.FLEET;
      sql.add(UPSERT, s.scope().wire(), fleet ? "" : e.siteId(), s.patternSignature(), text(s.occurrences()),
          text(s.l1Resolutions()), text(s.l2Resolutions()), text(s.l3Resolutions()), text(s.successes()),
          text(s.totalResolutionTimeMs()), text(s.lastSeen() == null ? e.occurredAt() : s.lastSeen()),
          s.lastSuccessfulAction(), text(fleet ? Math.max(1, s.distinctSites()) : 1),
          text(s.promotionEligible()), text(e.occurredAt()));
    }
    sql.flush();
  }
}
