package dev.ledger.events.rules;

import dev.ledger.events.rules.ComplianceScoring.Score;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Collection;
import java.util.List;

/**
 * {@link ComplianceScoring} computed by PostgreSQL over the {@code compliance_snapshots} projection: the one SQL
 * form of the rule, shared by the API and the projector's tests. The score of a client organisation is the same
 * rule over every (site, check, host) of its sites. Served by {@code compliance_snapshots_latest_idx (site_id,
 * check_type, hostname, checked_at DESC) INCLUDE (status)}.
 */
public final class ComplianceScoreQuery {
  /** Parameters: the site ids (text[]), the window's first instant and the instant the score is taken at. */
  public static final String SQL = """
      SELECT count(*) FILTER (WHERE latest.status = 'pass') AS passed, count(*) AS total
      FROM (
        SELECT DISTINCT ON (site_id, check_type, hostname) status
        FROM compliance_snapshots
        WHERE site_id = ANY (?) AND checked_at >= ?::timestamptz AND checked_at <= ?::timestamptz
        ORDER BY site_id, check_type, hostname, checked_at DESC
      ) latest""";

  private ComplianceScoreQuery() {
  }

  /** The score of one site as of {@code asOf}. */
  public static Score site(Connection connection, String siteId, Instant asOf) throws SQLException {
    return sites(connection, List.of(siteId), asOf);
  }

  /** The score over all of {@code siteIds} as of {@code asOf}; no sites is no data. */
  public static Score sites(Connection connection, Collection<String> siteIds, Instant asOf) throws SQLException {
    if (siteIds.isEmpty()) {
      return new Score(0, 0);
    }
    Array sites = connection.createArrayOf("text", siteIds.toArray());
    try (PreparedStatement statement = connection.prepareStatement(SQL)) {
      statement.setArray(1, sites);
      statement.setString(2, ComplianceScoring.windowStart(asOf).toString());
      statement.setString(3, asOf.toString());
      try (ResultSet rs = statement.executeQuery()) {
        rs.next();
        return new Score(rs.getLong("passed"), rs.getLong("total"));
      }
    } finally {
      sites.free();
    }
  }
}
