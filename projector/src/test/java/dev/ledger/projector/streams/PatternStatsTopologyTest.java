package dev.ledger.projector.streams;

import static dev.ledger.projector.streams.Samples.SIGNATURE;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ledger.events.Envelope;
import dev.ledger.events.PatternScope;
import dev.ledger.events.PatternStatsChanged;
import dev.ledger.events.PromotionEligibilityChanged;
import dev.ledger.events.ResolutionLevel;
import dev.ledger.events.ResolutionOutcome;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;

class PatternStatsTopologyTest {

  @Test
  void countersAddPerSiteAndAcrossTheFleetWithDistinctSites() throws Exception {
    try (TopologyFixture f = new TopologyFixture()) {
      for (int i = 0; i < 2; i++) {
        f.incidents.pipeInput("site-a", Samples.detected("site-a", f.now()));
      }
      for (int i = 0; i < 3; i++) {
        f.incidents.pipeInput("site-b", Samples.detected("site-b", f.now()));
      }
      f.incidents.pipeInput("site-b", Samples.resolved("site-b", f.now(), ResolutionLevel.L2,
          ResolutionOutcome.SUCCESS));
      assertThat(f.patternStats.isEmpty()).as("published on the clock, not per incident").isTrue();

      f.publish();
      List<TestRecord<String, byte[]>> published = f.patternStats.readRecordsToList();
      assertThat(published).extracting(TestRecord::key).as("each changed pattern once")
          .containsExactlyInAnyOrder("site-a|" + SIGNATURE, "site-b|" + SIGNATURE, "fleet|" + SIGNATURE);
      Map<String, PatternStatsChanged> latest = latest(published);
      assertThat(latest.get("site-a|" + SIGNATURE).occurrences()).isEqualTo(2);
      assertThat(latest.get("site-a|" + SIGNATURE).scope()).isEqualTo(PatternScope.SITE);
      assertThat(latest.get("site-b|" + SIGNATURE).occurrences()).isEqualTo(3);
      assertThat(latest.get("site-b|" + SIGNATURE).l2Resolutions()).isEqualTo(1);
      PatternStatsChanged fleet = latest.get("fleet|" + SIGNATURE);
      assertThat(fleet.scope()).isEqualTo(PatternScope.FLEET);
      assertThat(fleet.occurrences()).isEqualTo(5);
      assertThat(fleet.l2Resolutions()).isEqualTo(1);
      assertThat(fleet.successes()).isEqualTo(1);
      assertThat(fleet.totalResolutionTimeMs()).isEqualTo(1_000);
      assertThat(fleet.distinctSites()).isEqualTo(2);
      assertThat(fleet.lastSuccessfulAction()).isEqualTo("restart_backup_job");
      assertThat(f.eligibility.isEmpty()).isTrue();

      f.publish();
      assertThat(f.patternStats.isEmpty()).as("nothing changed, nothing published").isTrue();
      f.incidents.pipeInput("site-a", Samples.detected("site-a", f.now()));
      f.publish();
      Map<String, PatternStatsChanged> later = latestStats(f);
      assertThat(later.keySet()).containsExactlyInAnyOrder("site-a|" + SIGNATURE, "fleet|" + SIGNATURE);
      assertThat(later.get("site-a|" + SIGNATURE).occurrences()).isEqualTo(3);
      assertThat(later.get("fleet|" + SIGNATURE).occurrences()).isEqualTo(6);
      assertThat(later.get("fleet|" + SIGNATURE).distinctSites()).isEqualTo(2);
    }
  }

  @Test
  void aPatternBecomesEligibleAndLosesItWhenItGoesQuietWithoutANewEvent() throws Exception {
    try (TopologyFixture f = new TopologyFixture()) {
      for (int i = 0; i < 5; i++) {
        f.incidents.pipeInput("site-a", Samples.detected("site-a", f.now()));
        f.incidents.pipeInput("site-a", Samples.resolved("site-a", f.now(), ResolutionLevel.L2,
            ResolutionOutcome.SUCCESS));
      }
      f.publish();
      List<TestRecord<String, byte[]>> became = f.eligibility.readRecordsToList();
      assertThat(became).extracting(TestRecord::key)
          .containsExactlyInAnyOrder("site-a|" + SIGNATURE, "fleet|" + SIGNATURE);
      assertThat(became).map(r -> (PromotionEligibilityChanged) TopologyFixture.envelope(r).payload())
          .allSatisfy(c -> assertThat(c.eligible()).isTrue());
      assertThat(latestStats(f).get("fleet|" + SIGNATURE).promotionEligible()).isTrue();

      f.advance(Duration.ofDays(6));
      assertThat(f.eligibility.isEmpty()).as("still seen within 7 days").isTrue();

      f.advance(Duration.ofDays(1).plusMinutes(2));
      List<TestRecord<String, byte[]>> lost = f.eligibility.readRecordsToList();
      assertThat(lost).extracting(TestRecord::key)
          .containsExactlyInAnyOrder("site-a|" + SIGNATURE, "fleet|" + SIGNATURE);
      assertThat(lost).map(r -> (PromotionEligibilityChanged) TopologyFixture.envelope(r).payload())
          .allSatisfy(c -> {
            assertThat(c.eligible()).isFalse();
            assertThat(c.reason()).contains("not seen within 7 days");
          });
      Map<String, PatternStatsChanged> latest = latestStats(f);
      assertThat(latest.get("fleet|" + SIGNATURE).promotionEligible()).isFalse();
      assertThat(latest.get("fleet|" + SIGNATURE).occurrences()).isEqualTo(5);

      f.advance(Duration.ofDays(1));
      assertThat(f.eligibility.isEmpty()).as("a loss is announced once").isTrue();
    }
  }

  @Test
  void aFailedResolutionKeepsThePatternIneligible() throws Exception {
    try (TopologyFixture f = new TopologyFixture()) {
      for (int i = 0; i < 5; i++) {
        f.incidents.pipeInput("site-a", Samples.detected("site-a", f.now()));
        f.incidents.pipeInput("site-a", Samples.resolved("site-a", f.now(), ResolutionLevel.L2,
            i == 0 ? ResolutionOutcome.FAILURE : ResolutionOutcome.SUCCESS));
      }
      f.publish();
      assertThat(latestStats(f).get("fleet|" + SIGNATURE).successes()).isEqualTo(4);
      assertThat(f.eligibility.isEmpty()).as("4/5 successes is below 90%").isTrue();
    }
  }

  @Test
  void flapSuppressionsAreCountedFleetWidePerIncidentType() throws Exception {
    try (TopologyFixture f = new TopologyFixture()) {
      f.incidents.pipeInput("site-a", Samples.flapRecorded("site-a", "firewall_drift", f.now()));
      f.incidents.pipeInput("site-a", Samples.flapRecorded("site-a", "firewall_drift", f.now()));
      f.incidents.pipeInput("site-b", Samples.flapRecorded("site-b", "firewall_drift", f.now()));
      f.incidents.pipeInput("site-b", Samples.flapCleared("site-b", "firewall_drift", f.now()));
      f.incidents.pipeInput("site-c", Samples.flapRecorded("site-c", "patch_missing", f.now()));

      Map<String, JsonNode> latest = new LinkedHashMap<>();
      for (TestRecord<String, byte[]> r : f.flapStats.readRecordsToList()) {
        latest.put(r.key(), JsonSerde.MAPPER.readTree(r.value()));
      }
      FlapCounts firewall = JsonSerde.MAPPER.treeToValue(latest.get("firewall_drift"), FlapCounts.class);
      assertThat(firewall).isEqualTo(new FlapCounts("firewall_drift", 3, 1, 2, 2));
      assertThat(latest.get("patch_missing").get("distinct_sites").asInt()).isEqualTo(1);
      f.publish();
      assertThat(f.patternStats.isEmpty()).as("flaps are not pattern stats").isTrue();
    }
  }

  private static Map<String, PatternStatsChanged> latestStats(TopologyFixture f) {
    return latest(f.patternStats.readRecordsToList());
  }

  private static Map<String, PatternStatsChanged> latest(List<TestRecord<String, byte[]>> records) {
    Map<String, PatternStatsChanged> latest = new LinkedHashMap<>();
    for (TestRecord<String, byte[]> r : records) {
      Envelope e = TopologyFixture.envelope(r);
      assertThat(r.key()).isEqualTo(dev.ledger.events.kafka.Topics.keyFor(e));
      latest.put(r.key(), (PatternStatsChanged) e.payload());
    }
    return latest;
  }
}
