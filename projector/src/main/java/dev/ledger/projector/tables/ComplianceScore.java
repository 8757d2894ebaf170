package dev.ledger.projector.tables;

import dev.ledger.events.rules.ComplianceScoreQuery;
import dev.ledger.events.rules.ComplianceScoring;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.OptionalDouble;
import org.jdbi.v3.core.Handle;

/**
 * The compliance score of a site as the projector's tests read it: {@link ComplianceScoring}, computed by
 * {@link ComplianceScoreQuery} (the same SQL the API runs). A site with no result in the window has no score
 * ("no data"), never 100%.
 */
public record ComplianceScore(String siteId, long passed, long total) {
  public static final Duration WINDOW = ComplianceScoring.WINDOW;

  /** The score of {@code siteId} as of {@code now}. */
  public static ComplianceScore of(Handle handle, String siteId, Instant now) {
    try {
      ComplianceScoring.Score score = ComplianceScoreQuery.site(handle.getConnection(), siteId, now);
      return new ComplianceScore(siteId, score.passed(), score.total());
    } catch (SQLException e) {
      throw new IllegalStateException("cannot read the compliance score of " + siteId + ": " + e.getMessage(), e);
    }
  }

  /** passed ÷ total × 100, or empty when there is no data. */
  public OptionalDouble percent() {
    return new ComplianceScoring.Score(passed, total).percent();
  }

  /** {@code "no data"} or the percentage with one decimal, e.g. {@code "87.5%"}. */
  public String display() {
    return new ComplianceScoring.Score(passed, total).display();
  }
}
