package dev.ledger.projector.streams;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ledger.events.ApplianceRegistered;
import dev.ledger.events.CheckStatus;
import dev.ledger.events.Envelope;
import dev.ledger.events.EventSerde;
import dev.ledger.events.EvidenceCheck;
import dev.ledger.events.EvidenceSubmitted;
import dev.ledger.events.FlapSuppressionCleared;
import dev.ledger.events.FlapSuppressionRecorded;
import dev.ledger.events.IncidentDetected;
import dev.ledger.events.IncidentResolved;
import dev.ledger.events.ResolutionLevel;
import dev.ledger.events.ResolutionOutcome;
import dev.ledger.events.crypto.Signing;
import dev.ledger.events.rules.IncidentIds;
import dev.ledger.events.rules.PatternSignature;
import java.security.KeyPair;
import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;

/** Events for the topology tests: incidents, appliances with their keys, signed evidence, and broken bytes. */
final class Samples {
  static final String INCIDENT_TYPE = "backup_failed";
  static final String SIGNATURE = PatternSignature.of(INCIDENT_TYPE, "backup", "missed", "veeam", null);

  private Samples() {
  }

  static byte[] detected(String site, Instant at) {
    IncidentDetected d = new IncidentDetected(IncidentIds.next(at), "host-1", INCIDENT_TYPE, "high", "backup",
        "missed", "veeam", null, SIGNATURE, null);
    return EventSerde.serialize(Envelope.of(site, "app-" + site, at, d));
  }

  static byte[] resolved(String site, Instant at, ResolutionLevel level, ResolutionOutcome outcome) {
    IncidentResolved r = new IncidentResolved(IncidentIds.next(at), level, "restart_backup_job", outcome, 1_000,
        SIGNATURE);
    return EventSerde.serialize(Envelope.of(site, "app-" + site, at, r));
  }

  static byte[] flapRecorded(String site, String type, Instant at) {
    return EventSerde.serialize(Envelope.of(site, "app-" + site, at,
        new FlapSuppressionRecorded("host-1", type, 3, 120, at.minusSeconds(600), at)));
  }

  static byte[] flapCleared(String site, String type, Instant at) {
    return EventSerde.serialize(Envelope.of(site, null, at,
        new FlapSuppressionCleared("host-1", type, "operator@msp", "fixed the job")));
  }

  /** An appliance with its Ed25519 key pair. */
  record Appliance(String id, String site, KeyPair keys) {
    static Appliance of(String id, String site) {
      return new Appliance(id, site, Signing.generateKeyPair());
    }

    byte[] registration(Instant at) {
      return EventSerde.serialize(Envelope.of(site, null, at, new ApplianceRegistered(id, site, "host-" + id,
          Signing.encodePublicKey(keys.getPublic()), "1.0.0")));
    }

    EvidenceSubmitted bundle(String bundleId, Instant checkedAt) {
      return new EvidenceSubmitted(bundleId, checkedAt, List.of(
          new EvidenceCheck("backup", CheckStatus.PASS, "host-1", null, "164.308(a)(7)")));
    }

    /** Signed evidence claiming this appliance at {@code site}. */
    byte[] evidence(String atSite, EvidenceSubmitted bundle, Instant at) {
      return EventSerde.serialize(Signing.sign(Envelope.of(atSite, id, at, bundle), keys.getPrivate()));
    }

    byte[] evidence(EvidenceSubmitted bundle, Instant at) {
      return evidence(site, bundle, at);
    }
  }

  /** The envelope in these bytes with its JSON edited; the result is no longer a valid or signed envelope. */
  static byte[] edited(byte[] envelope, Consumer<ObjectNode> edit) {
    ObjectNode tree = (ObjectNode) EventSerde.parse(envelope);
    edit.accept(tree);
    return tree.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
  }
}
