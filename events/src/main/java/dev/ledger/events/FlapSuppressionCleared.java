package dev.ledger.events;

/** An operator cleared a flap suppression, so healing of it resumes. {@code reason} is optional. */
public record FlapSuppressionCleared(String hostname, String incidentType, String clearedBy, String reason)
    implements IncidentEvent {

  public FlapSuppressionCleared {
    Require.text(hostname, "hostname");
    Require.text(incidentType, "incident_type");
    Require.text(clearedBy, "cleared_by");
  }
}
