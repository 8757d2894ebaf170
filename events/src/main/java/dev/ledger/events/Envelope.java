package dev.ledger.events;

import java.time.Instant;
import java.util.UUID;

/**
 * One event on the ledger with its metadata. {@code eventId} (a UUIDv7) is the idempotency key; {@code type} and
 * {@code schemaVersion} always agree with the payload's {@link EventTypes} entry; {@code siteId} is the Kafka key
 * ({@link #FLEET_SITE_ID} for events that belong to no site); {@code occurredAt} is the agent's clock;
 * {@code applianceId} and {@code signature} (base64 Ed25519 over the canonical JSON without the signature) may be
 * null. Build one with {@link #of}.
 */
public record Envelope(
    UUID eventId,
    String type,
    int schemaVersion,
    String siteId,
    String applianceId,
    Instant occurredAt,
    LedgerEvent payload,
    String signature) {

  /** The site id of events that belong to no one site: partners, client orgs, CVEs, frameworks, fleet stats. */
  public static final String FLEET_SITE_ID = "fleet";

  public Envelope {
    if (!UuidV7.isV7(Require.present(eventId, "event_id"))) {
      throw new InvalidEventException("event_id", "must be a UUIDv7, was " + eventId);
    }
    EventType expected = EventTypes.of(Require.present(payload, "payload"));
    if (!expected.name().equals(type)) {
      throw new InvalidEventException("type", "must be '" + expected.name() + "' for this payload, was " + type);
    }
    if (schemaVersion != expected.currentVersion()) {
      throw new InvalidEventException("schema_version",
          "must be " + expected.currentVersion() + " for " + type + ", was " + schemaVersion);
    }
    Require.text(siteId, "site_id");
    if (applianceId != null) {
      Require.text(applianceId, "appliance_id");
    }
    Require.present(occurredAt, "occurred_at");
    if (signature != null) {
      Require.base64(signature, "signature");
    }
  }

  /** A new unsigned envelope with a fresh UUIDv7; type and schema version come from the payload. */
  public static Envelope of(String siteId, String applianceId, Instant occurredAt, LedgerEvent payload) {
    return of(UuidV7.next(), siteId, applianceId, occurredAt, payload);
  }

  /** An unsigned envelope with the given id; type and schema version come from the payload. */
  public static Envelope of(
      UUID eventId, String siteId, String applianceId, Instant occurredAt, LedgerEvent payload) {
    EventType type = EventTypes.of(Require.present(payload, "payload"));
    return new Envelope(
        eventId, type.name(), type.currentVersion(), siteId, applianceId, occurredAt, payload, null);
  }

  /** This envelope carrying the given signature (null removes it). */
  public Envelope withSignature(String newSignature) {
    return new Envelope(
        eventId, type, schemaVersion, siteId, applianceId, occurredAt, payload, newSignature);
  }
}
