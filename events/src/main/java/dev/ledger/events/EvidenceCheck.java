package dev.ledger.events;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One check inside an {@link EvidenceSubmitted} bundle. {@code hostname} and {@code hipaaControl} are optional;
 * absent {@code details} are JSON null.
 */
public record EvidenceCheck(
    String checkType, CheckStatus status, String hostname, JsonNode details, String hipaaControl) {

  public EvidenceCheck {
    Require.text(checkType, "check_type");
    Require.present(status, "status");
    details = Require.json(details);
  }
}
