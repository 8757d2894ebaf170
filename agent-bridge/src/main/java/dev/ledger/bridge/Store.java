package dev.ledger.bridge;

import dev.ledger.events.IncidentDetected;
import dev.ledger.events.rules.PatternStats;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;

/**
 * The SQL of the writer connection, one prepared statement each. Used only by the writer thread, inside the group
 * transaction that {@link GroupCommitter} opens and commits.
 */
final class Store implements AutoCloseable {
  /** An incident as the resolution and flap rules need it. */
  record IncidentRow(String id, String siteId, String hostId, String incidentType, String patternSignature,
      String status) {
  }

  /** Successful heals of one (site, host, type) in a window: how many, the first and the last. */
  record Heals(int count, Instant first, Instant last) {
  }

  /** Pattern stats with the promotion eligibility last announced. */
  record StoredStats(PatternStats stats, boolean eligible) {
  }

  /** The flap rule's query; answered from the partial index {@code idx_incidents_successful_heals}. */
  static final String SUCCESSFUL_HEALS = "SELECT count(*), min(resolved_at), max(resolved_at) FROM incidents"
      + " WHERE site_id = ? AND host_id = ? AND incident_type = ? AND resolved_at >= ?"
      + " AND resolution_outcome = 'success'";

  private final Connection c;
  private final PreparedStatement insertIncident;
  private final PreparedStatement insertOutbox;
  private final PreparedStatement findIncident;
  private final PreparedStatement resolveIncident;
  private final PreparedStatement findStats;
  private final PreparedStatement saveStats;

  Store(Connection connection) throws SQLException {
    this.c = connection;
    c.setAutoCommit(false);
    insertIncident = c.prepareStatement("INSERT INTO incidents (id, site_id, appliance_id, host_id, incident_type,"
        + " severity, check_type, drift_type, service_name, error, raw_data, pattern_signature, status, suppressed,"
        + " event_id, created_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
    insertOutbox = c.prepareStatement("INSERT INTO outbox (id, aggregatetype, aggregateid, type, payload, created_at)"
        + " VALUES (?,?,?,?,?,?)");
    findIncident = c.prepareStatement("SELECT id, site_id, host_id, incident_type, pattern_signature, status"
        + " FROM incidents WHERE id = ?");
    resolveIncident = c.prepareStatement("UPDATE incidents SET status = ?, resolution_level = ?,"
        + " resolution_action = ?, resolution_outcome = ?, resolution_time_ms = ?, resolved_at = ? WHERE id = ?");
    findStats = c.prepareStatement("SELECT occurrences, l1_resolutions, l2_resolutions, l3_resolutions, successes,"
        + " total_resolution_time_ms, last_seen, last_successful_action, promotion_eligible FROM pattern_stats"
        + " WHERE pattern_signature = ?");
    saveStats = c.prepareStatement("INSERT OR REPLACE INTO pattern_stats (pattern_signature, occurrences,"
        + " l1_resolutions, l2_resolutions, l3_resolutions, successes, total_resolution_time_ms, last_seen,"
        + " last_successful_action, promotion_eligible) VALUES (?,?,?,?,?,?,?,?,?,?)");
  }

  Connection connection() {
    return c;
  }

  void insertIncident(IncidentDetected d, String siteId, String applianceId, String rawJson, boolean suppressed,
      String eventId, Instant createdAt) throws SQLException {
    PreparedStatement p = insertIncident;
    p.setString(1, d.incidentId());
    p.setString(2, siteId);
    p.setString(3, applianceId);
    p.setString(4, d.hostname());
    p.setString(5, d.incidentType());
    p.setString(6, d.severity());
    p.setString(7, d.checkType());
    p.setString(8, d.driftType());
    p.setString(9, d.serviceName());
    p.setString(10, d.errorMessage());
    p.setString(11, rawJson);
    p.setString(12, d.patternSignature());
    p.setString(13, suppressed ? "escalated" : "open");
    p.setInt(14, suppressed ? 1 : 0);
    p.setString(15, eventId);
    p.setString(16, Times.text(createdAt));
    p.executeUpdate();
  }

  void insertOutbox(Outgoing out, Instant now) throws SQLException {
    insertOutbox.setString(1, out.eventId().toString());
    insertOutbox.setString(2, out.topic());
    insertOutbox.setString(3, out.key());
    insertOutbox.setString(4, out.type());
    insertOutbox.setBytes(5, out.bytes());
    insertOutbox.setString(6, Times.text(now));
    insertOutbox.executeUpdate();
  }

  IncidentRow findIncident(String id) throws SQLException {
    findIncident.setString(1, id);
    try (ResultSet rs = findIncident.executeQuery()) {
      return rs.next()
          ? new IncidentRow(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
              rs.getString(6))
          : null;
    }
  }

  void resolveIncident(String id, String status, String level, String action, String outcome, long timeMs,
      Instant resolvedAt) throws SQLException {
    resolveIncident.setString(1, status);
    resolveIncident.setString(2, level);
    resolveIncident.setString(3, action);
    resolveIncident.setString(4, outcome);
    resolveIncident.setLong(5, timeMs);
    resolveIncident.setString(6, Times.text(resolvedAt));
    resolveIncident.setString(7, id);
    resolveIncident.executeUpdate();
  }

  StoredStats findStats(String signature) throws SQLException {
    findStats.setString(1, signature);
    try (ResultSet rs = findStats.executeQuery()) {
      if (!rs.next()) {
        return new StoredStats(PatternStats.empty(signature), false);
      }
      return new StoredStats(new PatternStats(signature, rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4),
          rs.getLong(5), rs.getLong(6), Times.instant(rs.getString(7)), rs.getString(8)), rs.getInt(9) == 1);
    }
  }

  void saveStats(StoredStats stored) throws SQLException {
    PatternStats s = stored.stats();
    saveStats.setString(1, s.patternSignature());
    saveStats.setLong(2, s.occurrences());
    saveStats.setLong(3, s.l1Resolutions());
    saveStats.setLong(4, s.l2Resolutions());
    saveStats.setLong(5, s.l3Resolutions());
    saveStats.setLong(6, s.successes());
    saveStats.setLong(7, s.totalResolutionTimeMs());
    saveStats.setString(8, Times.text(s.lastSeen()));
    if (s.lastSuccessfulAction() == null) {
      saveStats.setNull(9, Types.VARCHAR);
    } else {
      saveStats.setString(9, s.lastSuccessfulAction());
    }
    saveStats.setInt(10, stored.eligible() ? 1 : 0);
    saveStats.executeUpdate();
  }

  /** Successful heals of (site, host, type) resolved at or after {@code since}: count, first and last time. */
  Heals successfulHeals(String siteId, String hostId, String type, Instant since) throws SQLException {
    try (PreparedStatement p = c.prepareStatement(SUCCESSFUL_HEALS)) {
      p.setString(1, siteId);
      p.setString(2, hostId);
      p.setString(3, type);
      p.setString(4, Times.text(since));
      try (ResultSet rs = p.executeQuery()) {
        rs.next();
        return new Heals(rs.getInt(1), Times.instant(rs.getString(2)), Times.instant(rs.getString(3)));
      }
    }
  }

  /** When the last suppression of (site, host, type) was cleared, or null. */
  Instant lastCleared(String siteId, String hostId, String type) throws SQLException {
    try (PreparedStatement p = c.prepareStatement("SELECT max(cleared_at) FROM flap_suppressions"
        + " WHERE site_id = ? AND host_id = ? AND incident_type = ?")) {
      p.setString(1, siteId);
      p.setString(2, hostId);
      p.setString(3, type);
      try (ResultSet rs = p.executeQuery()) {
        return rs.next() ? Times.instant(rs.getString(1)) : null;
      }
    }
  }

  long count(String sql, Object... args) throws SQLException {
    try (PreparedStatement p = c.prepareStatement(sql)) {
      for (int i = 0; i < args.length; i++) {
        p.setObject(i + 1, args[i]);
      }
      try (ResultSet rs = p.executeQuery()) {
        return rs.next() ? rs.getLong(1) : 0;
      }
    }
  }

  int update(String sql, Object... args) throws SQLException {
    try (PreparedStatement p = c.prepareStatement(sql)) {
      for (int i = 0; i < args.length; i++) {
        p.setObject(i + 1, args[i]);
      }
      return p.executeUpdate();
    }
  }

  @Override
  public void close() throws SQLException {
    c.close();
  }
}
