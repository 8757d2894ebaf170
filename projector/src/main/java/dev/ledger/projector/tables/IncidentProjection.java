package dev.ledger.projector.tables;

import static dev.ledger.projector.tables.OrderedStatements.text;

import dev.ledger.events.Envelope;
import dev.ledger.events.FlapSuppressionCleared;
import dev.ledger.events.FlapSuppressionRecorded;
import dev.ledger.events.IncidentDetected;
import dev.ledger.events.IncidentEscalated;
import dev.ledger.events.IncidentResolved;
import dev.ledger.events.InvalidEventException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.jdbi.v3.core.Handle;

/**
 * incidents and flap_suppressions from the incident topic. An incident's events share its site's partition, so
 * they arrive in order. In batch mode a batch is folded into one insert of the new incidents and one update of
 * the changed ones, each a single statement over arrays; in naive mode every event is its own statement.
 */
final class IncidentProjection implements Projection {
  static final String NAME = "incidents";

  static final String DETECTED = """
      INSERT INTO incidents (incident_id, site_id, appliance_id, hostname, incident_type, severity, check_type,
        drift_type, service_name, error_message, pattern_signature, raw_data, status, detected_at, last_event_id)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, 'open', ?::timestamptz, ?::uuid)
      ON CONFLICT (incident_id) DO NOTHING""";
  static final String RESOLVED = """
      UPDATE incidents SET status = 'resolved', resolution_level = ?, resolution_action = ?, outcome = ?,
        resolution_time_ms = ?::bigint, resolved_at = ?::timestamptz, resolved_by_bundle = NULL,
        last_event_id = ?::uuid
      WHERE incident_id = ?""";
  static final String ESCALATED = """
      UPDATE incidents SET status = 'escalated', resolution_level = ?, escalated_at = ?::timestamptz,
        resolved_at = CASE WHEN resolved_by_bundle IS NULL THEN resolved_at END, resolved_by_bundle = NULL,
        last_event_id = ?::uuid
      WHERE incident_id = ?""";
  private static final String FLAP_RECORDED = """
      INSERT INTO flap_suppressions (site_id, hostname, incident_type, heal_count, window_minutes, first_heal_at,
        last_heal_at, suppressed_at, cleared_at, cleared_by, clear_reason, active)
      VALUES (?, ?, ?, ?::integer, ?::integer, ?::timestamptz, ?::timestamptz, ?::timestamptz, NULL, NULL, NULL, true)
      ON CONFLICT (site_id, hostname, incident_type) DO UPDATE SET heal_count = EXCLUDED.heal_count,
        window_minutes = EXCLUDED.window_minutes, first_heal_at = EXCLUDED.first_heal_at,
        last_heal_at = EXCLUDED.last_heal_at, suppressed_at = EXCLUDED.suppressed_at, cleared_at = NULL,
        cleared_by = NULL, clear_reason = NULL, active = true""";
  private static final String FLAP_CLEARED = """
      UPDATE flap_suppressions SET active = false, cleared_at = ?::timestamptz, cleared_by = ?, clear_reason = ?
      WHERE site_id = ? AND hostname = ? AND incident_type = ?""";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public List<String> topics(ProjectorTopics topics) {
    return List.of(topics.incidents());
  }

  /** A detection inserts its incident only if absent (the first detection wins): a resend changes nothing. */
  @Override
  public boolean replaySafe(Envelope event) {
    return event.payload() instanceof IncidentDetected;
  }

  @Override
  public void apply(Handle handle, List<Incoming> events, WriteMode mode) {
    IncidentChecks.lockSites(handle, incidentSites(events));
    OrderedStatements sql = new OrderedStatements(handle, mode);
    List<Envelope> lifecycle = new ArrayList<>();
    for (Incoming in : events) {
      Envelope e = in.envelope();
      if (e.payload() instanceof FlapSuppressionRecorded f) {
        sql.add(FLAP_RECORDED, e.siteId(), f.hostname(), f.incidentType(), text(f.healCount()),
            text(f.windowMinutes()), text(f.firstHealAt()), text(f.lastHealAt()), text(e.occurredAt()));
      } else if (e.payload() instanceof FlapSuppressionCleared f) {
        sql.add(FLAP_CLEARED, text(e.occurredAt()), f.clearedBy(), f.reason(), e.siteId(), f.hostname(),
            f.incidentType());
      } else if (mode == WriteMode.NAIVE) {
        naive(handle, sql, e);
      } else {
        lifecycle.add(e);
      }
    }
    sql.flush();
    if (!lifecycle.isEmpty()) {
      IncidentBatch.fold(lifecycle).write(handle);
    }
  }

  /**
   * The sites whose incident rows this batch may write. All of them are locked, not only those of detections a
   * passing check could resolve: the evidence projection updates incident rows of the sites it locked, and two
   * transactions that never share a site never wait on each other's rows (no deadlock between the two).
   */
  private static Set<String> incidentSites(List<Incoming> events) {
    Set<String> sites = new HashSet<>();
    for (Incoming in : events) {
      Object payload = in.envelope().payload();
      if (payload instanceof IncidentDetected || payload instanceof IncidentResolved
          || payload instanceof IncidentEscalated) {
        sites.add(in.envelope().siteId());
      }
    }
    return sites;
  }

  private static void naive(Handle handle, OrderedStatements sql, Envelope e) {
    String at = text(e.occurredAt());
    String eventId = text(e.eventId());
    if (e.payload() instanceof IncidentDetected d) {
      sql.add(DETECTED, d.incidentId(), e.siteId(), e.applianceId(), d.hostname(), d.incidentType(), d.severity(),
          d.checkType(), d.driftType(), d.serviceName(), d.errorMessage(), d.patternSignature(),
          text(d.rawData()), at, eventId);
      if (d.checkType() != null) {
        IncidentChecks.resolveInserted(handle, List.of(d.incidentId()));
      }
    } else if (e.payload() instanceof IncidentResolved r) {
      sql.add(RESOLVED, r.level().wire(), r.action(), r.outcome().wire(), text(r.resolutionTimeMs()), at, eventId,
          r.incidentId());
    } else if (e.payload() instanceof IncidentEscalated x) {
      sql.add(ESCALATED, x.toLevel().wire(), at, eventId, x.incidentId());
    } else {
      throw new InvalidEventException("type", e.type() + " is not an incident event");
    }
  }
}
