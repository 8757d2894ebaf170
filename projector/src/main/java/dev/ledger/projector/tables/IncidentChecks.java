package dev.ledger.projector.tables;

import java.util.Collection;
import java.util.TreeSet;
import org.jdbi.v3.core.Handle;

/**
 * "A passing check resolves the matching open incident" across two projections: incidents come from the incident
 * topic, check results from the evidence topic, and the two interleave differently on every replay. The rule is
 * therefore one that gives the same rows in any order (V12): an incident that its own events leave open is resolved
 * by the earliest passing check of its (site, check type, host) at or after its detection.
 * <ul>
 *   <li>The evidence projection, for each passing check, resolves the open incidents it matches, and moves an
 *   incident resolved by a later check back to this earlier one ({@link #PASSED}).</li>
 *   <li>The incident projection, for each incident it inserts, looks for that earliest passing check among the
 *   results already projected ({@link #resolveInserted}).</li>
 *   <li>The agent's own resolution or escalation replaces a resolution by a check (the incident SQL clears
 *   {@code resolved_by_bundle}), so it does not matter which of the two was projected first.</li>
 * </ul>
 * Each side reads what the other writes, in its own transaction; both first take a per-site advisory lock
 * ({@link #lockSites}) on every site whose incident rows they may touch, so the reader always runs after the
 * other's commit or before its write, and the two never wait on each other's row locks.
 */
final class IncidentChecks {
  /** Resolves, by the check (checked_at, bundle), the matching incidents that are open or resolved by a later check. */
  static final String PASSED = """
      UPDATE incidents SET status = 'resolved', resolved_at = ?::timestamptz, resolved_by_bundle = ?
      WHERE site_id = ? AND check_type = ? AND hostname = ? AND detected_at <= ?::timestamptz
        AND (status = 'open' OR (resolved_by_bundle IS NOT NULL AND resolved_at > ?::timestamptz))""";
  private static final String RESOLVE_INSERTED = """
      WITH earliest AS (
        SELECT i.incident_id, p.checked_at, p.bundle_id
        FROM incidents i
        CROSS JOIN LATERAL (
          SELECT c.checked_at, c.bundle_id FROM compliance_snapshots c
          WHERE c.site_id = i.site_id AND c.check_type = i.check_type AND c.hostname = i.hostname
            AND c.checked_at >= i.detected_at AND c.status = 'pass'
          ORDER BY c.checked_at
          LIMIT 1) p
        WHERE i.incident_id = ANY(CAST(? AS text[])) AND i.status = 'open' AND i.check_type IS NOT NULL)
      UPDATE incidents i SET status = 'resolved', resolved_at = e.checked_at, resolved_by_bundle = e.bundle_id
      FROM earliest e
      WHERE i.incident_id = e.incident_id""";
  private static final String LOCK = """
      SELECT count(pg_advisory_xact_lock(hashtextextended('incident-checks:' || current_schema() || ':' || s, 0)))
      FROM (SELECT DISTINCT s FROM unnest(CAST(? AS text[])) AS u(s) ORDER BY s) sites""";

  private IncidentChecks() {
  }

  /**
   * Takes this transaction's lock on each site, in one order (no deadlock between the two projections); per schema,
   * so a rebuild into a fresh schema does not wait on the live projectors.
   */
  static void lockSites(Handle handle, Collection<String> sites) {
    if (sites.isEmpty()) {
      return;
    }
    handle.createQuery(LOCK).bindArray(0, String.class, new TreeSet<>(sites).toArray()).mapTo(Long.class).one();
  }

  /** Resolves the just-inserted open incidents among {@code incidentIds} that a projected passing check matches. */
  static void resolveInserted(Handle handle, Collection<String> incidentIds) {
    if (!incidentIds.isEmpty()) {
      handle.createUpdate(RESOLVE_INSERTED).bindArray(0, String.class, incidentIds.toArray()).execute();
    }
  }
}
