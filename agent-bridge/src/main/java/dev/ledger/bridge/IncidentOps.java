package dev.ledger.bridge;

import dev.ledger.bridge.Api.IncidentRecorded;
import dev.ledger.bridge.Api.ResolutionRecorded;
import dev.ledger.bridge.Store.StoredStats;
import dev.ledger.events.FlapSuppressionCleared;
import dev.ledger.events.FlapSuppressionRecorded;
import dev.ledger.events.IncidentDetected;
import dev.ledger.events.IncidentEscalated;
import dev.ledger.events.IncidentResolved;
import dev.ledger.events.ResolutionLevel;
import dev.ledger.events.ResolutionOutcome;
import dev.ledger.events.rules.PatternStats;
import dev.ledger.events.rules.PromotionRule;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * The local incident rules as writer ops: record an incident with its pattern stats, record a resolution, detect a
 * flap (the third successful heal of a (site, host, type) within 120 minutes → a persistent suppression and an
 * escalation to L3), and clear suppressions. The rules themselves (pattern stats, promotion) come from
 * {@code dev.ledger.events.rules}.
 */
final class IncidentOps {
  static final int FLAP_HEALS = 3;
  static final Duration FLAP_WINDOW = Duration.ofMinutes(120);

  private IncidentOps() {
  }

  /** Stores a detected incident and its outbox envelope (serialized by the caller); escalates it if suppressed. */
  static WriteOp<IncidentRecorded> record(IncidentDetected d, Outgoing sealed, String rawJson, Instant detectedAt) {
    return w -> {
      Identity id = w.identity();
      boolean suppressed = w.isSuppressed(new Writer.FlapKey(id.siteId(), d.hostname(), d.incidentType()));
      w.store().insertIncident(d, id.siteId(), id.applianceId(), rawJson, suppressed, sealed.eventId().toString(),
          detectedAt);
      w.store().insertOutbox(sealed, w.now());
      updateStats(w, d.patternSignature(), s -> s.apply(d, detectedAt));
      if (suppressed) {
        w.emit(new IncidentEscalated(d.incidentId(), ResolutionLevel.L1, ResolutionLevel.L3,
            "flap suppression active for " + d.hostname() + "/" + d.incidentType() + "; not healing"), detectedAt);
      }
      return new IncidentRecorded(d.incidentId(), sealed.eventId(), d.patternSignature(), suppressed);
    };
  }

  /** Records the resolution of a recorded, unresolved incident. */
  static WriteOp<ResolutionRecorded> resolve(String incidentId, ResolutionLevel level, String action,
      ResolutionOutcome outcome, long timeMs, Instant resolvedAt) {
    return w -> {
      Store.IncidentRow row = w.store().findIncident(incidentId);
      if (row == null) {
        throw BridgeException.notFound("no incident " + incidentId + " on this appliance");
      }
      if ("resolved".equals(row.status())) {
        throw BridgeException.conflict("incident " + incidentId + " is already resolved");
      }
      IncidentResolved resolved =
          new IncidentResolved(incidentId, level, action, outcome, timeMs, row.patternSignature());
      w.store().resolveIncident(incidentId, "resolved", level.wire(), action, outcome.wire(), timeMs, resolvedAt);
      Outgoing out = w.emit(resolved, resolvedAt);
      updateStats(w, row.patternSignature(), s -> s.apply(resolved));
      boolean flapped = outcome == ResolutionOutcome.SUCCESS && detectFlap(w, row, level, resolvedAt);
      return new ResolutionRecorded(incidentId, out.eventId(), flapped);
    };
  }

  private static boolean detectFlap(Writer w, Store.IncidentRow row, ResolutionLevel level, Instant resolvedAt)
      throws SQLException {
    Writer.FlapKey key = new Writer.FlapKey(row.siteId(), row.hostId(), row.incidentType());
    if (w.isSuppressed(key)) {
      return false;
    }
    Instant since = resolvedAt.minus(FLAP_WINDOW);
    Instant cleared = w.store().lastCleared(row.siteId(), row.hostId(), row.incidentType());
    if (cleared != null && !cleared.isBefore(since)) {
      // Heals up to an operator's clear do not count again: the suppression re-arms only on a new flap.
      since = cleared.plusNanos(1_000);
    }
    Store.Heals heals = w.store().successfulHeals(row.siteId(), row.hostId(), row.incidentType(), since);
    if (heals.count() < FLAP_HEALS) {
      return false;
    }
    w.store().update("INSERT INTO flap_suppressions (site_id, host_id, incident_type, heal_count, window_minutes,"
        + " first_heal_at, last_heal_at, suppressed_at) VALUES (?,?,?,?,?,?,?,?)", row.siteId(), row.hostId(),
        row.incidentType(), heals.count(), FLAP_WINDOW.toMinutes(), Times.text(heals.first()),
        Times.text(heals.last()), Times.text(w.now()));
    w.markSuppressed(key, true);
    w.emit(new FlapSuppressionRecorded(row.hostId(), row.incidentType(), heals.count(), (int) FLAP_WINDOW.toMinutes(),
        heals.first(), heals.last()), resolvedAt);
    if (level != ResolutionLevel.L3) {
      w.emit(new IncidentEscalated(row.id(), level, ResolutionLevel.L3, "flapping: " + heals.count()
          + " successful heals within " + FLAP_WINDOW.toMinutes() + " minutes"), resolvedAt);
    }
    return true;
  }

  /** Clears the active suppressions the filter selects; each clear is an event. Returns how many. */
  static WriteOp<Integer> clear(Api.SuppressionFilter filter, String by, String reason) {
    return w -> {
      if (by == null || by.isBlank()) {
        throw BridgeException.badInput("who clears the suppression is required (--by / cleared_by)");
      }
      List<Api.Suppression> active = Suppressions.list(w.store().connection(), filter);
      Instant now = w.now();
      for (Api.Suppression s : active) {
        w.store().update("UPDATE flap_suppressions SET cleared_at = ?, cleared_by = ?, clear_reason = ?"
            + " WHERE site_id = ? AND host_id = ? AND incident_type = ? AND cleared_at IS NULL",
            Times.text(now), by, reason, s.siteId(), s.hostId(), s.incidentType());
        w.markSuppressed(new Writer.FlapKey(s.siteId(), s.hostId(), s.incidentType()), false);
        w.emit(new FlapSuppressionCleared(s.hostId(), s.incidentType(), by, reason), now);
      }
      return active.size();
    };
  }

  /** Folds the change into the pattern's stats with the shared rule and re-evaluates promotion eligibility. */
  private static void updateStats(Writer w, String signature, UnaryOperator<PatternStats> change)
      throws SQLException {
    StoredStats old = w.stats(signature);
    PatternStats next = change.apply(old.stats());
    w.saveStats(new StoredStats(next, PromotionRule.isEligible(next, w.now())));
  }

  /** Reads suppressions with a plain connection (any thread with its own connection). */
  static final class Suppressions {
    private Suppressions() {
    }

    static List<Api.Suppression> list(java.sql.Connection c, Api.SuppressionFilter f) throws SQLException {
      try (PreparedStatement p = c.prepareStatement("SELECT site_id, host_id, incident_type, heal_count,"
          + " window_minutes, first_heal_at, last_heal_at, suppressed_at FROM flap_suppressions"
          + " WHERE cleared_at IS NULL AND (?1 IS NULL OR site_id = ?1) AND (?2 IS NULL OR host_id = ?2)"
          + " AND (?3 IS NULL OR incident_type = ?3) ORDER BY site_id, host_id, incident_type")) {
        p.setString(1, f.siteId());
        p.setString(2, f.hostId());
        p.setString(3, f.incidentType());
        List<Api.Suppression> out = new ArrayList<>();
        try (ResultSet rs = p.executeQuery()) {
          while (rs.next()) {
            out.add(new Api.Suppression(rs.getString(1), rs.getString(2), rs.getString(3), rs.getInt(4),
                rs.getInt(5), Times.instant(rs.getString(6)), Times.instant(rs.getString(7)),
                Times.instant(rs.getString(8))));
          }
        }
        return out;
      }
    }
  }
}
