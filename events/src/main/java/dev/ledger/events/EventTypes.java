package dev.ledger.events;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The closed registry of event types: wire name ↔ record class ↔ current schema version. Class names never go on
 * the wire; adding an event means adding a record to a stream interface and a line here.
 */
public final class EventTypes {

  private static final List<EventType> ALL = List.of(
      EventType.v1("partner.registered", PartnerRegistered.class),
      EventType.v1("client_org.registered", ClientOrgRegistered.class),
      EventType.v1("site.registered", SiteRegistered.class),
      EventType.v1("appliance.registered", ApplianceRegistered.class),
      EventType.v1("appliance.checked_in", ApplianceCheckedIn.class),
      new EventType("incident.detected", IncidentDetected.class, 2,
          Map.of(1, Upcasters::incidentDetectedV1ToV2)),
      EventType.v1("incident.resolved", IncidentResolved.class),
      EventType.v1("incident.escalated", IncidentEscalated.class),
      EventType.v1("flap_suppression.recorded", FlapSuppressionRecorded.class),
      EventType.v1("flap_suppression.cleared", FlapSuppressionCleared.class),
      EventType.v1("evidence.submitted", EvidenceSubmitted.class),
      EventType.v1("order.issued", OrderIssued.class),
      EventType.v1("order.acknowledged", OrderAcknowledged.class),
      EventType.v1("order.completed", OrderCompleted.class),
      EventType.v1("order.failed", OrderFailed.class),
      EventType.v1("order.expired", OrderExpired.class),
      EventType.v1("promotion.decided", PromotionDecided.class),
      EventType.v1("pattern_stats.changed", PatternStatsChanged.class),
      EventType.v1("promotion_eligibility.changed", PromotionEligibilityChanged.class),
      EventType.v1("evidence.sealed", EvidenceSealed.class),
      EventType.v1("evidence_log.checkpointed", EvidenceLogCheckpointed.class),
      EventType.v1("cve.recorded", CveRecorded.class),
      EventType.v1("cve.fleet_match_found", CveFleetMatchFound.class),
      EventType.v1("framework.controls_synced", FrameworkControlsSynced.class));

  private static final Map<String, EventType> BY_NAME =
      ALL.stream().collect(Collectors.toUnmodifiableMap(EventType::name, Function.identity()));
  private static final Map<Class<?>, EventType> BY_CLASS =
      ALL.stream().collect(Collectors.toUnmodifiableMap(EventType::recordClass, Function.identity()));

  private EventTypes() {
  }

  /** Every registered type, in a fixed order. */
  public static List<EventType> all() {
    return ALL;
  }

  /** The type with this wire name, if any. */
  public static Optional<EventType> find(String name) {
    return Optional.ofNullable(BY_NAME.get(name));
  }

  /** The type with this wire name; {@link UnknownEventTypeException} if there is none. */
  public static EventType byName(String name) {
    return find(name).orElseThrow(() -> new UnknownEventTypeException(name));
  }

  /** The type of a record class; every {@link LedgerEvent} record is registered. */
  public static EventType of(Class<? extends LedgerEvent> recordClass) {
    EventType type = BY_CLASS.get(recordClass);
    if (type == null) {
      throw new IllegalStateException(recordClass.getName() + " is not registered in EventTypes");
    }
    return type;
  }

  /** The type of an event. */
  public static EventType of(LedgerEvent event) {
    return of(event.getClass());
  }
}
