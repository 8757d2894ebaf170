package dev.ledger.events.kafka;

import dev.ledger.events.AuditEvent;
import dev.ledger.events.CveEvent;
import dev.ledger.events.Envelope;
import dev.ledger.events.EvidenceEvent;
import dev.ledger.events.EvidenceSealed;
import dev.ledger.events.FrameworkEvent;
import dev.ledger.events.IncidentEvent;
import dev.ledger.events.LedgerEvent;
import dev.ledger.events.OrderEvent;
import dev.ledger.events.PatternScope;
import dev.ledger.events.PatternStatsChanged;
import dev.ledger.events.PromotionEligibilityChanged;
import dev.ledger.events.PromotionEvent;
import dev.ledger.events.RegistryEvent;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * The topic catalogue. Ledger topics keep every record forever and are keyed by {@code site_id}, so one site's
 * events stay in order in one partition; values are {@link Envelope}s as written by
 * {@link dev.ledger.events.EventSerde}. Derived topics hold what the stream processor computes from them.
 */
public final class Topics {

  /** Partitions of every site-keyed topic; equal counts keep ledger and derived topics co-partitioned. */
  static final int PARTITIONS = 6;
  static final Map<String, String> FOREVER = Map.of("retention.ms", "-1", "cleanup.policy", "delete");
  static final Map<String, String> COMPACTED = Map.of("cleanup.policy", "compact");
  private static final String PATTERN_KEY = "site_id|pattern_signature, or fleet|pattern_signature";

  public static final TopicSpec REGISTRY_EVENTS = ledger("registry-events", "RegistryEvent");
  public static final TopicSpec INCIDENT_EVENTS = ledger("incident-events", "IncidentEvent");
  public static final TopicSpec EVIDENCE_EVENTS = ledger("evidence-events", "EvidenceEvent");
  public static final TopicSpec ORDER_EVENTS = ledger("order-events", "OrderEvent");
  public static final TopicSpec CVE_EVENTS = ledger("cve-events", "CveEvent");
  public static final TopicSpec FRAMEWORK_EVENTS = ledger("framework-events", "FrameworkEvent");
  /** Human decisions on promotion candidates; fleet-wide decisions have the key {@code fleet}. */
  public static final TopicSpec PROMOTION_EVENTS = ledger("promotion-events", "PromotionEvent");
  /** The per-site evidence hash chain, one record per sealed bundle in chain order. */
  public static final TopicSpec SEALED_EVIDENCE = new TopicSpec(
      "sealed-evidence", PARTITIONS, FOREVER, "site_id", "Envelope of EvidenceSealed");
  /** Signed checkpoints of each site's evidence log (Merkle tree heads), in the order they were signed. */
  public static final TopicSpec EVIDENCE_CHECKPOINTS = new TopicSpec(
      "evidence-checkpoints", PARTITIONS, FOREVER, "site_id", "Envelope of EvidenceLogCheckpointed");
  /** Latest statistics per pattern, per site and fleet-wide; compacted to the latest per key. */
  public static final TopicSpec PATTERN_STATS = new TopicSpec(
      "pattern-stats", PARTITIONS, COMPACTED, PATTERN_KEY, "Envelope of PatternStatsChanged");
  /** Every change of a pattern's promotion eligibility. */
  public static final TopicSpec PROMOTION_ELIGIBILITY = new TopicSpec(
      "promotion-eligibility", PARTITIONS, FOREVER, PATTERN_KEY, "Envelope of PromotionEligibilityChanged");
  /**
   * Fleet-wide flap-suppression counts per incident type, compacted to the latest per key. The value is JSON (not
   * an envelope): {@code {"incident_type": text, "recorded": n, "cleared": n, "active": n, "distinct_sites": n}},
   * counters since the start of the ledger, {@code active} = recorded − cleared, never below zero.
   */
  public static final TopicSpec FLAP_SUPPRESSION_STATS = new TopicSpec("flap-suppression-stats", PARTITIONS,
      COMPACTED, "incident_type", "JSON {incident_type, recorded, cleared, active, distinct_sites}");
  /** Rejected records, byte for byte, with the reason in {@link DeadLetter} headers. */
  public static final TopicSpec DEAD_LETTER = new TopicSpec(
      "dead-letter", 1, FOREVER, "the rejected record's key", "the rejected record's value bytes");

  private static final List<TopicSpec> ALL = List.of(
      REGISTRY_EVENTS, INCIDENT_EVENTS, EVIDENCE_EVENTS, ORDER_EVENTS, CVE_EVENTS, FRAMEWORK_EVENTS,
      PROMOTION_EVENTS, SEALED_EVIDENCE, EVIDENCE_CHECKPOINTS, PATTERN_STATS, PROMOTION_ELIGIBILITY,
      FLAP_SUPPRESSION_STATS, DEAD_LETTER);

  private Topics() {
  }

  /** Every topic of the catalogue. */
  public static List<TopicSpec> all() {
    return ALL;
  }

  /** The topic an event is published to. */
  public static TopicSpec forEvent(LedgerEvent event) {
    if (event instanceof RegistryEvent) {
      return REGISTRY_EVENTS;
    }
    if (event instanceof IncidentEvent) {
      return INCIDENT_EVENTS;
    }
    if (event instanceof EvidenceEvent) {
      return EVIDENCE_EVENTS;
    }
    if (event instanceof OrderEvent) {
      return ORDER_EVENTS;
    }
    if (event instanceof CveEvent) {
      return CVE_EVENTS;
    }
    if (event instanceof FrameworkEvent) {
      return FRAMEWORK_EVENTS;
    }
    if (event instanceof PromotionEvent) {
      return PROMOTION_EVENTS;
    }
    return forDerived(event);
  }

  /** The Kafka key of an envelope: its site id, or site and pattern for the pattern topics. */
  public static String keyFor(Envelope envelope) {
    if (envelope.payload() instanceof PatternStatsChanged stats) {
      String scope = stats.scope() == PatternScope.FLEET ? Envelope.FLEET_SITE_ID : envelope.siteId();
      return scope + "|" + stats.patternSignature();
    }
    if (envelope.payload() instanceof PromotionEligibilityChanged change) {
      return envelope.siteId() + "|" + change.patternSignature();
    }
    return envelope.siteId();
  }

  /** The record that publishes an envelope: its event's topic and its key. */
  public static ProducerRecord<String, Envelope> record(Envelope envelope) {
    return new ProducerRecord<>(forEvent(envelope.payload()).name(), keyFor(envelope), envelope);
  }

  private static TopicSpec forDerived(LedgerEvent event) {
    if (event instanceof PatternStatsChanged) {
      return PATTERN_STATS;
    }
    if (event instanceof PromotionEligibilityChanged) {
      return PROMOTION_ELIGIBILITY;
    }
    if (event instanceof EvidenceSealed) {
      return SEALED_EVIDENCE;
    }
    if (event instanceof AuditEvent) {
      return EVIDENCE_CHECKPOINTS;
    }
    throw new IllegalArgumentException("no topic for " + event.getClass().getName());
  }

  private static TopicSpec ledger(String name, String stream) {
    return new TopicSpec(name, PARTITIONS, FOREVER, "site_id", "Envelope of a " + stream);
  }
}
