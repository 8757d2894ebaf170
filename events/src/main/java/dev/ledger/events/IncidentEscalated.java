package dev.ledger.events;

/** An incident moved to a higher healing level, for example to L3 after flapping. */
public record IncidentEscalated(String incidentId, ResolutionLevel fromLevel, ResolutionLevel toLevel, String reason)
    implements IncidentEvent {

  public IncidentEscalated {
    Require.text(incidentId, "incident_id");
    Require.present(fromLevel, "from_level");
    Require.present(toLevel, "to_level");
    Require.text(reason, "reason");
    if (toLevel.compareTo(fromLevel) <= 0) {
      throw new InvalidEventException("to_level", "must be higher than from_level " + fromLevel.wire());
    }
  }
}
