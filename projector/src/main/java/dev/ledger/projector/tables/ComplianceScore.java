package dev.ledger.projector.tables;

import java.time.Duration;
import java.time.Instant;
import java.util.OptionalDouble;
import org.jdbi.v3.core.Handle;

/**
 * The compliance score of a site, the one formula every screen uses: the latest result per (check, host) within
 * the last 30 days; passed ÷ total × 100. A site with no result in the window has no score ("no data"), never
 * 100%.
 */
public record ComplianceScore(String siteId, long passed, long total) {
  public static final Duration WINDOW = Duration.ofDays(30);

  private static final String SQL = """
      SELECT count(*) FILTER (WHERE latest.status = 'pass') AS passed, count(*) AS total
      FROM (
        SELECT DISTINCT ON (check_type, hostname) status
        FROM compliance_snapshots
        WHERE site_id = ? AND checked_at >= ?::timestamptz AND checked_at <= ?::timestamptz
        ORDER BY check_type, hostname, checked_at DESC
      ) latest""";

  /** The score of {@code siteId} as of {@code now}. */
  public static ComplianceScore of(Handle handle, String siteId, Instant now) {
    return handle.createQuery(SQL)
        .bind(0, siteId)
        .bind(1, now.minus(WINDOW).toString())
        .bind(2, now.toString())
        .map((rs, ctx) -> new ComplianceScore(siteId, rs.getLong("passed"), rs.getLong("total")))
        .one();
  }

  /** passed ÷ total × 100, or empty when there is no data. */
  public OptionalDouble percent() {
    return total == 0 ? OptionalDouble.empty() : OptionalDouble.of(100.0 * passed / total);
  }

  /** {@code "no data"} or the percentage with one decimal, e.g. {@code "87.5%"}. */
  public String display() {
    return total == 0 ? "no data" : String.format(java.util.Locale.ROOT, "%.1f%%", percent().getAsDouble());
  }
}
