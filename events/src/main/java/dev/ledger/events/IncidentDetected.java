package dev.ledger.events;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The agent found drift on a host. Schema version 2 (version 1 called {@code errorMessage} "error").
 * {@code checkType}, {@code driftType}, {@code serviceName} and {@code errorMessage} are optional; an absent
 * {@code rawData} is JSON null. {@code patternSignature} is the 16-hex-digit signature of the incident's pattern.
 */
public record IncidentDetected(
    String incidentId,
    String hostname,
    String incidentType,
    String severity,
    String checkType,
    String driftType,
    String serviceName,
    String errorMessage,
    String patternSignature,
    JsonNode rawData) implements IncidentEvent {

  public IncidentDetected {
    Require.text(incidentId, "incident_id");
    Require.text(hostname, "hostname");
    Require.text(incidentType, "incident_type");
    Require.text(severity, "severity");
    Require.patternSignature(patternSignature, "pattern_signature");
    rawData = Require.json(rawData);
  }
}
