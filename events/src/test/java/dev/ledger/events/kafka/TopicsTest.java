package dev.ledger.events.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ledger.events.Envelope;
import dev.ledger.events.EventSamples;
import dev.ledger.events.EventTypes;
import dev.ledger.events.PatternScope;
import dev.ledger.events.PatternStatsChanged;
import dev.ledger.events.PromotionEligibilityChanged;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Test;

class TopicsTest {

  private static final List<TopicSpec> LEDGER = List.of(Topics.REGISTRY_EVENTS, Topics.INCIDENT_EVENTS,
      Topics.EVIDENCE_EVENTS, Topics.ORDER_EVENTS, Topics.CVE_EVENTS, Topics.FRAMEWORK_EVENTS,
      Topics.PROMOTION_EVENTS);

  @Test
  void theCatalogueHasUniqueKebabCaseNames() {
    assertThat(Topics.all()).extracting(TopicSpec::name).doesNotHaveDuplicates().containsExactly(
        "registry-events", "incident-events", "evidence-events", "order-events", "cve-events",
        "framework-events", "promotion-events", "sealed-evidence", "evidence-checkpoints", "pattern-stats",
        "promotion-eligibility", "flap-suppression-stats", "dead-letter");
  }

  @Test
  void ledgerTopicsKeepEverythingForeverKeyedBySite() {
    assertThat(LEDGER).allSatisfy(spec -> {
      assertThat(spec.configs()).containsExactlyInAnyOrderEntriesOf(
          Map.of("retention.ms", "-1", "cleanup.policy", "delete"));
      assertThat(spec.partitions()).isEqualTo(6);
      assertThat(spec.key()).isEqualTo("site_id");
    });
  }

  @Test
  void derivedTopicsAreRetainedOrCompacted() {
    assertThat(Topics.PATTERN_STATS.configs()).containsEntry("cleanup.policy", "compact")
        .doesNotContainKey("retention.ms");
    assertThat(Topics.FLAP_SUPPRESSION_STATS.configs()).containsEntry("cleanup.policy", "compact")
        .doesNotContainKey("retention.ms");
    assertThat(List.of(Topics.SEALED_EVIDENCE, Topics.EVIDENCE_CHECKPOINTS, Topics.PROMOTION_ELIGIBILITY,
        Topics.DEAD_LETTER))
        .allSatisfy(spec -> assertThat(spec.configs()).containsEntry("retention.ms", "-1"));
    assertThat(Topics.SEALED_EVIDENCE.partitions()).isEqualTo(Topics.EVIDENCE_EVENTS.partitions());
  }

  @Test
  void everyEventTypeHasATopic() {
    EventTypes.all().forEach(type -> assertThat(Topics.forEvent(EventSamples.payload(type)))
        .as(type.name()).isIn(Topics.all()).isNotEqualTo(Topics.DEAD_LETTER));
    assertThat(Topics.forEvent(EventSamples.payload(EventTypes.byName("incident.resolved"))))
        .isEqualTo(Topics.INCIDENT_EVENTS);
    assertThat(Topics.forEvent(EventSamples.payload(EventTypes.byName("evidence.sealed"))))
        .isEqualTo(Topics.SEALED_EVIDENCE);
    assertThat(Topics.forEvent(EventSamples.payload(EventTypes.byName("promotion.decided"))))
        .isEqualTo(Topics.PROMOTION_EVENTS);
  }

  @Test
  void keysAreTheSiteOrSiteAndPattern() {
    Envelope incident = EventSamples.envelope(EventTypes.byName("incident.detected"));
    Envelope siteStats = EventSamples.envelope(EventTypes.byName("pattern_stats.changed"));
    PatternStatsChanged fleet = new PatternStatsChanged(PatternScope.FLEET, "0123456789abcdef", 1, 0, 0, 0, 0,
        0, null, null, 3, false);
    Envelope fleetStats = Envelope.of(Envelope.FLEET_SITE_ID, null, Instant.EPOCH, fleet);
    Envelope eligibility = Envelope.of("site-9", null, Instant.EPOCH,
        new PromotionEligibilityChanged("0123456789abcdef", false, "too few"));

    assertThat(Topics.keyFor(incident)).isEqualTo(EventSamples.SITE_ID);
    assertThat(Topics.keyFor(siteStats)).isEqualTo(EventSamples.SITE_ID + "|" + EventSamples.SIGNATURE);
    assertThat(Topics.keyFor(fleetStats)).isEqualTo("fleet|0123456789abcdef");
    assertThat(Topics.keyFor(eligibility)).isEqualTo("site-9|0123456789abcdef");
    assertThat(Topics.record(incident).topic()).isEqualTo("incident-events");
  }

  @Test
  void specsBecomeNewTopicsAndRejectBadNames() {
    NewTopic topic = Topics.INCIDENT_EVENTS.toNewTopic();

    assertThat(topic.name()).isEqualTo("incident-events");
    assertThat(topic.numPartitions()).isEqualTo(6);
    assertThat(topic.replicationFactor()).isEqualTo((short) -1);
    assertThat(topic.configs()).containsEntry("retention.ms", "-1");
    assertThatThrownBy(() -> new TopicSpec("Incident_Events", 1, Map.of(), "k", "v"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void typedTopicsCarryTheirSerdes() {
    assertThat(Topic.envelopes(Topics.ORDER_EVENTS).valueSerde()).isInstanceOf(EnvelopeSerde.class);
    assertThat(Topic.deadLetter().name()).isEqualTo("dead-letter");
    assertThatThrownBy(() -> Topic.envelopes(Topics.DEAD_LETTER)).isInstanceOf(IllegalArgumentException.class);
  }
}
