package dev.ledger.events;

/** An attempt to resolve an incident ended. {@code action} (the healing action tried) is optional. */
public record IncidentResolved(
    String incidentId,
    ResolutionLevel level,
    String action,
    ResolutionOutcome outcome,
    long resolutionTimeMs,
    String patternSignature) implements IncidentEvent {

  public IncidentResolved {
    Require.text(incidentId, "incident_id");
    Require.present(level, "level");
    Require.present(outcome, "outcome");
    Require.nonNegative(resolutionTimeMs, "resolution_time_ms");
    Require.patternSignature(patternSignature, "pattern_signature");
  }
}
