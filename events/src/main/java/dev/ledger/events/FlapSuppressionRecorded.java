package dev.ledger.events;

import java.time.Instant;

/** Healing of an incident type on a host flapped and is suppressed until an operator clears it. */
public record FlapSuppressionRecorded(
    String hostname,
    String incidentType,
    int healCount,
    int windowMinutes,
    Instant firstHealAt,
    Instant lastHealAt) implements IncidentEvent {

  public FlapSuppressionRecorded {
    Require.text(hostname, "hostname");
    Require.text(incidentType, "incident_type");
    Require.nonNegative(healCount, "heal_count");
    Require.nonNegative(windowMinutes, "window_minutes");
    Require.present(firstHealAt, "first_heal_at");
    if (Require.present(lastHealAt, "last_heal_at").isBefore(firstHealAt)) {
      throw new InvalidEventException("last_heal_at", "must not be before first_heal_at");
    }
  }
}
