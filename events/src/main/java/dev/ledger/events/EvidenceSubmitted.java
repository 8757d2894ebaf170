package dev.ledger.events;

import java.time.Instant;
import java.util.List;

/** An appliance submitted a bundle of compliance check results, taken at {@code checkedAt}. */
public record EvidenceSubmitted(String bundleId, Instant checkedAt, List<EvidenceCheck> checks)
    implements EvidenceEvent {

  public EvidenceSubmitted {
    Require.text(bundleId, "bundle_id");
    Require.present(checkedAt, "checked_at");
    checks = Require.list(checks, "checks");
  }
}
