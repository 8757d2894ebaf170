package dev.ledger.events;

import java.time.Instant;
import java.util.List;
import java.util.regex.Pattern;

/** A vulnerability entered the catalogue. {@code severity}, {@code cvssScore} and {@code description} are optional. */
public record CveRecorded(
    String cveId,
    String severity,
    Double cvssScore,
    String description,
    List<String> affectedProducts,
    Instant publishedAt) implements CveEvent {

  static final Pattern CVE_ID = Pattern.compile("CVE-\\d{4}-\\d{4,}");

  public CveRecorded {
    Require.matches(cveId, CVE_ID, "cve_id");
    if (cvssScore != null && !(cvssScore >= 0.0 && cvssScore <= 10.0)) {
      throw new InvalidEventException("cvss_score", "must be between 0 and 10, was " + cvssScore);
    }
    affectedProducts = Require.list(affectedProducts, "affected_products");
    Require.present(publishedAt, "published_at");
  }
}
