package dev.ledger.bridge;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ledger.events.EvidenceCheck;
import dev.ledger.events.ResolutionLevel;
import dev.ledger.events.ResolutionOutcome;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** The records of the agent-facing Java API ({@link AgentBridge}); the HTTP API speaks the same in snake_case. */
public final class Api {
  private Api() {
  }

  /** A detected incident; {@code detectedAt} null means now. */
  public record NewIncident(String siteId, String hostId, String incidentType, String severity, String checkType,
      String driftType, String serviceName, String error, JsonNode rawData, Instant detectedAt) {
  }

  /** The incident as durably recorded; {@code suppressed} tells the agent not to heal it (flapping). */
  public record IncidentRecorded(String incidentId, UUID eventId, String patternSignature, boolean suppressed) {
  }

  /** A resolution of a recorded incident; {@code resolvedAt} null means now. */
  public record Resolution(String incidentId, ResolutionLevel level, String action, ResolutionOutcome outcome,
      long resolutionTimeMs, Instant resolvedAt) {
  }

  /** The resolution as recorded; {@code flapSuppressed} when it made the (host, type) a flapper. */
  public record ResolutionRecorded(String incidentId, UUID eventId, boolean flapSuppressed) {
  }

  /** An evidence bundle checked at {@code checkedAt} (kept on every retry). */
  public record EvidenceBundle(String siteId, Instant checkedAt, List<EvidenceCheck> checks) {
  }

  public record EvidenceQueued(String bundleId, UUID eventId) {
  }

  /** An active flap suppression. */
  public record Suppression(String siteId, String hostId, String incidentType, int healCount, int windowMinutes,
      Instant firstHealAt, Instant lastHealAt, Instant suppressedAt) {
  }

  /** Selects suppressions; null fields match anything. */
  public record SuppressionFilter(String siteId, String hostId, String incidentType) {
    public static final SuppressionFilter ALL = new SuppressionFilter(null, null, null);
  }

  /** What the offline evidence queue holds: waiting and parked-dead bundles. */
  public record QueueStatus(long outbox, long queuedEvidence, long deadEvidence) {
  }
}
