package dev.ledger.projector.tables;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.ledger.events.ApplianceCheckedIn;
import dev.ledger.events.ApplianceRegistered;
import dev.ledger.events.CheckStatus;
import dev.ledger.events.ClientOrgRegistered;
import dev.ledger.events.Envelope;
import dev.ledger.events.EvidenceCheck;
import dev.ledger.events.EvidenceSealed;
import dev.ledger.events.EvidenceSubmitted;
import dev.ledger.events.IncidentDetected;
import dev.ledger.events.IncidentEscalated;
import dev.ledger.events.IncidentResolved;
import dev.ledger.events.OrderAcknowledged;
import dev.ledger.events.OrderCompleted;
import dev.ledger.events.OrderIssued;
import dev.ledger.events.PartnerRegistered;
import dev.ledger.events.PatternScope;
import dev.ledger.events.PatternStatsChanged;
import dev.ledger.events.ResolutionLevel;
import dev.ledger.events.ResolutionOutcome;
import dev.ledger.events.SiteRegistered;
import dev.ledger.events.rules.EvidenceChain;
import dev.ledger.events.rules.IncidentIds;
import dev.ledger.events.rules.PatternSignature;
import java.time.Instant;
import java.util.Base64;
import java.util.List;

/** Builders of valid envelopes for projector tests. */
final class Events {
  static final String KEY = Base64.getEncoder().encodeToString(new byte[44]);
  static final String SIGNATURE = Base64.getEncoder().encodeToString(new byte[64]);

  private Events() {
  }

  static Envelope partner(String partnerId, Instant at) {
    return Envelope.of(Envelope.FLEET_SITE_ID, null, at, new PartnerRegistered(partnerId, "MSP " + partnerId,
        "ops@" + partnerId + ".example"));
  }

  static Envelope clientOrg(String orgId, String partnerId, Instant at) {
    return Envelope.of(Envelope.FLEET_SITE_ID, null, at, new ClientOrgRegistered(orgId, partnerId, "Clinic"));
  }

  static Envelope site(String siteId, Instant at) {
    return Envelope.of(siteId, null, at, new SiteRegistered(siteId, "p1", "o1", "Site " + siteId, "UTC"));
  }

  static Envelope appliance(String siteId, String applianceId, Instant at) {
    return Envelope.of(siteId, applianceId, at,
        new ApplianceRegistered(applianceId, siteId, "host-" + applianceId, KEY, "1.0.0"));
  }

  static Envelope checkIn(String siteId, String applianceId, Instant at) {
    return Envelope.of(siteId, applianceId, at, new ApplianceCheckedIn(applianceId, "1.0.1", "10.0.0.7", 60));
  }

  static String signature(String type) {
    return PatternSignature.of(type, "windows_update", null, null, null);
  }

  static Envelope detected(String siteId, String incidentId, String host, Instant at) {
    return Envelope.of(siteId, "a-" + siteId, at, new IncidentDetected(incidentId, host, "patching", "high",
        "windows_update", "drift", null, "updates pending", signature("patching"),
        JsonNodeFactory.instance.objectNode().put("kb", 5001)));
  }

  static Envelope resolved(String siteId, String incidentId, Instant at) {
    return Envelope.of(siteId, "a-" + siteId, at, new IncidentResolved(incidentId, ResolutionLevel.L1,
        "run_updates", ResolutionOutcome.SUCCESS, 1200, signature("patching")));
  }

  static Envelope escalated(String siteId, String incidentId, Instant at) {
    return Envelope.of(siteId, "a-" + siteId, at,
        new IncidentEscalated(incidentId, ResolutionLevel.L1, ResolutionLevel.L3, "flapping"));
  }

  static String incidentId(Instant at) {
    return IncidentIds.next(at);
  }

  static Envelope orderIssued(String siteId, String orderId, String applianceId, Instant at, Instant expires) {
    return Envelope.of(siteId, null, at, new OrderIssued(orderId, applianceId, "run_runbook", "RB-1",
        JsonNodeFactory.instance.objectNode().put("force", true), "alice", expires));
  }

  static Envelope orderAcknowledged(String siteId, String orderId, Instant at) {
    return Envelope.of(siteId, null, at, new OrderAcknowledged(orderId));
  }

  static Envelope orderCompleted(String siteId, String orderId, Instant at) {
    return Envelope.of(siteId, null, at,
        new OrderCompleted(orderId, JsonNodeFactory.instance.objectNode().put("ok", true)));
  }

  static Envelope evidence(String siteId, String bundleId, Instant checkedAt, CheckStatus status) {
    return evidence(siteId, bundleId, checkedAt, List.of(
        new EvidenceCheck("encryption", status, "host-1", JsonNodeFactory.instance.objectNode(),
            "164.312(a)(2)(iv)"),
        check("backup", CheckStatus.PASS, "host-1")));
  }

  static Envelope evidence(String siteId, String bundleId, Instant checkedAt, List<EvidenceCheck> checks) {
    EvidenceSubmitted bundle = new EvidenceSubmitted(bundleId, checkedAt, checks);
    return Envelope.of(siteId, "a-" + siteId, checkedAt, bundle).withSignature(SIGNATURE);
  }

  /** A check of {@code type} on {@code host}, without a HIPAA control. */
  static EvidenceCheck check(String type, CheckStatus status, String host) {
    return new EvidenceCheck(type, status, host, JsonNodeFactory.instance.objectNode(), null);
  }

  /** The sealed link at {@code position} after {@code prevHash} for this evidence envelope. */
  static Envelope sealed(Envelope evidence, long position, String prevHash) {
    EvidenceSubmitted bundle = (EvidenceSubmitted) evidence.payload();
    String bundleHash = EvidenceChain.bundleHash(bundle);
    return Envelope.of(evidence.siteId(), evidence.applianceId(), bundle.checkedAt(), new EvidenceSealed(
        evidence.eventId(), bundle.bundleId(), bundle.checkedAt(), position, bundleHash, prevHash,
        EvidenceChain.chainHash(bundleHash, prevHash, position)));
  }

  static Envelope patternStats(String siteId, String signature, long occurrences, Instant at) {
    return Envelope.of(siteId, null, at, new PatternStatsChanged(PatternScope.SITE, signature, occurrences, 0,
        occurrences, 0, occurrences, 100 * occurrences, at, "run_updates", 1, occurrences >= 5));
  }
}
