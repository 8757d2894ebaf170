package dev.ledger.events;

import java.time.Instant;
import java.util.UUID;

/**
 * An evidence bundle took its place in its site's hash chain. {@code evidenceEventId} is the event id of the
 * {@link EvidenceSubmitted} envelope; the hashes are lowercase hex SHA-256 as defined by the evidence chain rule.
 */
public record EvidenceSealed(
    UUID evidenceEventId,
    String bundleId,
    Instant checkedAt,
    long chainPosition,
    String bundleHash,
    String prevHash,
    String chainHash) implements DerivedEvent {

  public EvidenceSealed {
    Require.present(evidenceEventId, "evidence_event_id");
    Require.text(bundleId, "bundle_id");
    Require.present(checkedAt, "checked_at");
    if (chainPosition < 1) {
      throw new InvalidEventException("chain_position", "must be at least 1, was " + chainPosition);
    }
    Require.sha256Hex(bundleHash, "bundle_hash");
    Require.sha256Hex(prevHash, "prev_hash");
    Require.sha256Hex(chainHash, "chain_hash");
  }
}
