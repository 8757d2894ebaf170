package dev.ledger.cli.audit;

import dev.ledger.cli.audit.SiteState.Incident;
import dev.ledger.cli.audit.SiteState.Suppression;
import dev.ledger.events.CheckStatus;
import dev.ledger.events.rules.ComplianceScoreQuery;
import dev.ledger.events.rules.ComplianceScoring;
import dev.ledger.events.rules.ComplianceScoring.Result;
import dev.ledger.events.rules.ComplianceScoring.Score;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.transaction.TransactionIsolationLevel;

/**
 * A site's compliance state as the PostgreSQL projection holds it, read in one repeatable-read transaction
 * together with how far the projectors had read each topic partition: the two belong to the same snapshot, so a
 * replay up to exactly those offsets must give the same state.
 */
record ProjectionSnapshot(Map<TopicPartition, Long> offsets, List<Result> results, Score score,
    List<Incident> openIncidents, List<Suppression> activeSuppressions) {

  /** The projector's names of the projections whose rows are compared (see Projections). */
  static final String EVIDENCE = "evidence";
  static final String INCIDENTS = "incidents";

  private static final String OFFSETS = """
      SELECT topic, partition, next_offset FROM projector_offsets
      WHERE (projection = ? AND topic = ? AND partition = ?) OR (projection = ? AND topic = ? AND partition = ?)""";
  private static final String LATEST = """
      SELECT DISTINCT ON (check_type, hostname) check_type, hostname, checked_at, status
      FROM compliance_snapshots
      WHERE site_id = ? AND checked_at >= ?::timestamptz AND checked_at <= ?::timestamptz
      ORDER BY check_type, hostname, checked_at DESC""";
  private static final String OPEN_INCIDENTS = """
      SELECT incident_id, hostname, incident_type, severity, check_type, detected_at FROM incidents
      WHERE site_id = ? AND status = 'open' ORDER BY incident_id""";
  private static final String ACTIVE_SUPPRESSIONS = """
      SELECT hostname, incident_type, heal_count, suppressed_at FROM flap_suppressions
      WHERE site_id = ? AND active ORDER BY hostname, incident_type""";

  /** The projector's stored next offsets of the two partitions (0 where nothing was stored yet). */
  static Map<TopicPartition, Long> offsets(Handle h, TopicPartition evidence, TopicPartition incidents) {
    Map<TopicPartition, Long> stored = new HashMap<>();
    stored.put(evidence, 0L);
    stored.put(incidents, 0L);
    h.createQuery(OFFSETS)
        .bind(0, EVIDENCE).bind(1, evidence.topic()).bind(2, evidence.partition())
        .bind(3, INCIDENTS).bind(4, incidents.topic()).bind(5, incidents.partition())
        .map((rs, ctx) -> Map.entry(new TopicPartition(rs.getString(1), rs.getInt(2)), rs.getLong(3)))
        .forEach(e -> stored.put(e.getKey(), e.getValue()));
    return stored;
  }

  /** Reads the snapshot of {@code siteId} as of {@code asOf}. */
  static ProjectionSnapshot read(Jdbi jdbi, String siteId, Instant asOf, TopicPartition evidence,
      TopicPartition incidents) {
    try {
      return jdbi.inTransaction(TransactionIsolationLevel.REPEATABLE_READ,
          h -> snapshot(h, siteId, asOf, evidence, incidents));
    } catch (SQLException e) {
      throw new IllegalStateException("cannot read the projection of " + siteId + ": " + e.getMessage(), e);
    }
  }

  private static ProjectionSnapshot snapshot(Handle h, String siteId, Instant asOf, TopicPartition evidence,
      TopicPartition incidents) throws SQLException {
    h.execute("SET TRANSACTION READ ONLY");
    Map<TopicPartition, Long> offsets = offsets(h, evidence, incidents);
    ComplianceScoring.Latest latest = new ComplianceScoring.Latest(asOf);
    h.createQuery(LATEST).bind(0, siteId).bind(1, ComplianceScoring.windowStart(asOf).toString())
        .bind(2, asOf.toString())
        .map((rs, ctx) -> new Result(rs.getString(1), rs.getString(2),
            instant(rs.getObject(3, OffsetDateTime.class)), CheckStatus.fromWire(rs.getString(4))))
        .forEach(latest::offer);
    // The score as the API computes it, in SQL: a second, independent reading of the same rows.
    Score score = ComplianceScoreQuery.site(h.getConnection(), siteId, asOf);
    List<Incident> open = h.createQuery(OPEN_INCIDENTS).bind(0, siteId)
        .map((rs, ctx) -> new Incident(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
            rs.getString(5), instant(rs.getObject(6, OffsetDateTime.class))))
        .list();
    List<Suppression> active = h.createQuery(ACTIVE_SUPPRESSIONS).bind(0, siteId)
        .map((rs, ctx) -> new Suppression(rs.getString(1), rs.getString(2), rs.getInt(3),
            instant(rs.getObject(4, OffsetDateTime.class))))
        .list();
    return new ProjectionSnapshot(offsets, latest.results(), score, open, active);
  }

  private static Instant instant(OffsetDateTime t) {
    return t == null ? null : t.toInstant();
  }
}
