package dev.ledger.events;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/** One fixed sample per event type (fixed ids and instants), for snapshot and round-trip tests. */
public final class EventSamples {

  public static final UUID EVENT_ID = UUID.fromString("01956a2e-8f00-7abc-8def-0123456789ab");
  public static final Instant OCCURRED_AT = Instant.parse("2025-03-01T12:00:00.123456Z");
  public static final String SITE_ID = "site-clinic-01";
  public static final String APPLIANCE_ID = "appliance-01";
  public static final String SIGNATURE = "3f2a9c0d1e4b5a67";
  static final String HASH_A = "a".repeat(64);
  static final String HASH_B = "b".repeat(64);
  static final String HASH_C = "c".repeat(64);
  /** A fixed Ed25519 key pair for tests; never use it anywhere else. */
  public static final String PUBLIC_KEY = "MCowBQYDK2VwAyEANghoSvkAbQhmpi/e031hk+mNxF6qe3Bn+YxU5cO7MEw=";
  public static final String PRIVATE_KEY = "MC4CAQAwBQYDK2VwBCIEIDy9y5alx3iXvFL/SLWlrwcE6FUOKmBMZR65vOgt62fS";

  private static final Map<Class<? extends LedgerEvent>, LedgerEvent> SAMPLES = Map.ofEntries(
      sample(new PartnerRegistered("partner-01", "Acme MSP", "ops@acme.example")),
      sample(new ClientOrgRegistered("org-01", "partner-01", "Riverside Dental")),
      sample(new SiteRegistered(SITE_ID, "partner-01", "org-01", "Riverside main office", "America/Chicago")),
      sample(new ApplianceRegistered(APPLIANCE_ID, SITE_ID, "appliance01.local", PUBLIC_KEY, "1.4.2")),
      sample(new ApplianceCheckedIn(APPLIANCE_ID, "1.4.2", "192.0.2.10", 86_400)),
      sample(new IncidentDetected("INC-20250301120000123456a1b2", "ws-07", "backup_failed", "high",
          "backup", "missed_schedule", "veeam", "job failed at 2025-03-01T02:00:00Z", SIGNATURE,
          json("{\"exit_code\":3,\"job\":\"nightly\"}"))),
      sample(new IncidentResolved("INC-20250301120000123456a1b2", ResolutionLevel.L2, "restart_backup_job",
          ResolutionOutcome.SUCCESS, 4_250, SIGNATURE)),
      sample(new IncidentEscalated("INC-20250301120000123456a1b2", ResolutionLevel.L1, ResolutionLevel.L3,
          "flap suppression")),
      sample(new FlapSuppressionRecorded("ws-07", "backup_failed", 3, 120,
          Instant.parse("2025-03-01T10:15:00Z"), Instant.parse("2025-03-01T11:50:00Z"))),
      sample(new FlapSuppressionCleared("ws-07", "backup_failed", "operator@acme.example", "root cause fixed")),
      sample(new EvidenceSubmitted("bundle-01", Instant.parse("2025-03-01T11:59:00Z"), List.of(
          new EvidenceCheck("encryption", CheckStatus.PASS, "ws-07", json("{\"bitlocker\":\"on\"}"),
              "164.312(a)(2)(iv)"),
          new EvidenceCheck("backup", CheckStatus.FAIL, null, null, null)))),
      sample(new OrderIssued("order-01", APPLIANCE_ID, "run_runbook", "RB-BACKUP-01",
          json("{\"job\":\"nightly\"}"), "operator@acme.example", Instant.parse("2025-03-02T12:00:00Z"))),
      sample(new OrderAcknowledged("order-01")),
      sample(new OrderCompleted("order-01", json("{\"status\":\"ok\"}"))),
      sample(new OrderFailed("order-01", "runbook RB-BACKUP-01 exited with 2")),
      sample(new OrderExpired("order-01")),
      sample(new PromotionDecided(PatternScope.SITE, SIGNATURE, PromotionDecision.APPROVED, "restart_backup_job",
          "operator@acme.example", "11 of 12 healed at L2")),
      sample(new PatternStatsChanged(PatternScope.SITE, SIGNATURE, 12, 2, 9, 1, 11, 51_000,
          Instant.parse("2025-03-01T12:00:00Z"), "restart_backup_job", 1, true)),
      sample(new PromotionEligibilityChanged(SIGNATURE, true, "all promotion criteria met")),
      sample(new EvidenceSealed(EVENT_ID, "bundle-01", Instant.parse("2025-03-01T11:59:00Z"), 42, HASH_A,
          HASH_B, HASH_C)),
      sample(new EvidenceLogCheckpointed("compliance-ledger/evidence/" + SITE_ID, 42, HASH_A,
          "compliance-ledger/evidence/" + SITE_ID + "\n42\nqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqo=\n\n"
              + "\u2014 compliance-ledger AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n")),
      sample(new CveRecorded("CVE-2025-12345", "critical", 9.8, "Remote code execution in ExampleServer",
          List.of("exampleserver", "exampleserver-lts"), Instant.parse("2025-02-20T00:00:00Z"))),
      sample(new CveFleetMatchFound("CVE-2025-12345", APPLIANCE_ID, "exampleserver", "2.3.1")),
      sample(new FrameworkControlsSynced("hipaa", "2013-omnibus", 54)));

  private static final Set<Class<?>> FLEET_WIDE = Set.of(PartnerRegistered.class, ClientOrgRegistered.class,
      CveRecorded.class, FrameworkControlsSynced.class);

  private EventSamples() {
  }

  /** The sample payload of a type; fails for a type without one, so a new type needs a sample. */
  public static LedgerEvent payload(EventType type) {
    LedgerEvent sample = SAMPLES.get(type.recordClass());
    if (sample == null) {
      throw new AssertionError("no sample for event type " + type.name() + ": add one to EventSamples");
    }
    return sample;
  }

  /** The sample envelope of a type: fixed id, site (or fleet), appliance (where one applies) and time, unsigned. */
  public static Envelope envelope(EventType type) {
    LedgerEvent payload = payload(type);
    boolean fleetWide = FLEET_WIDE.contains(payload.getClass());
    return Envelope.of(EVENT_ID, fleetWide ? Envelope.FLEET_SITE_ID : SITE_ID, fleetWide ? null : APPLIANCE_ID,
        OCCURRED_AT, payload);
  }

  public static JsonNode json(String text) {
    try {
      return Json.MAPPER.readTree(text);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(e);
    }
  }

  private static Map.Entry<Class<? extends LedgerEvent>, LedgerEvent> sample(LedgerEvent event) {
    return Map.entry(event.getClass(), event);
  }
}
