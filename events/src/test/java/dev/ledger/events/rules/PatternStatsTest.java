package dev.ledger.events.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ledger.events.IncidentDetected;
import dev.ledger.events.IncidentResolved;
import dev.ledger.events.PatternScope;
import dev.ledger.events.ResolutionLevel;
import dev.ledger.events.ResolutionOutcome;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class PatternStatsTest {

  static final String SIGNATURE = "0123456789abcdef";
  private static final Instant T1 = Instant.parse("2025-03-01T10:00:00Z");
  private static final Instant T2 = Instant.parse("2025-03-02T10:00:00Z");

  @Test
  void detectionsCountOccurrencesAndKeepTheLatestSighting() {
    PatternStats stats = PatternStats.empty(SIGNATURE).apply(detected(), T2).apply(detected(), T1);

    assertThat(stats.occurrences()).isEqualTo(2);
    assertThat(stats.lastSeen()).isEqualTo(T2);
  }

  @Test
  void resolutionsCountByLevelAndSuccess() {
    PatternStats stats = PatternStats.empty(SIGNATURE)
        .apply(resolved(ResolutionLevel.L2, "restart_service", ResolutionOutcome.SUCCESS, 1_000))
        .apply(resolved(ResolutionLevel.L1, "clear_cache", ResolutionOutcome.FAILURE, 200))
        .apply(resolved(ResolutionLevel.L3, null, ResolutionOutcome.SUCCESS, 60_000))
        .apply(resolved(ResolutionLevel.L2, "restart_service", ResolutionOutcome.ESCALATED, 300));

    assertThat(stats.l1Resolutions()).isEqualTo(1);
    assertThat(stats.l2Resolutions()).isEqualTo(2);
    assertThat(stats.l3Resolutions()).isEqualTo(1);
    assertThat(stats.successes()).isEqualTo(2);
    assertThat(stats.totalResolutionTimeMs()).isEqualTo(61_500);
    assertThat(stats.lastSuccessfulAction()).isEqualTo("restart_service");
  }

  @Test
  void countersAddOnTopOfEarlierTotalsNeverTakeAMaximum() {
    PatternStats earlier = new PatternStats(SIGNATURE, 5, 1, 3, 0, 4, 900, T1, "restart_service");

    PatternStats later = earlier.apply(detected(), T2).apply(detected(), T2)
        .apply(resolved(ResolutionLevel.L2, "restart_service", ResolutionOutcome.SUCCESS, 100));

    assertThat(later.occurrences()).isEqualTo(7);
    assertThat(later.l2Resolutions()).isEqualTo(4);
    assertThat(later.successes()).isEqualTo(5);
    assertThat(later.totalResolutionTimeMs()).isEqualTo(1_000);
  }

  @Test
  void foldingARunInPartsAndAddingThePartsGivesTheFoldOfTheRun() {
    PatternStats whole = PatternStats.empty(SIGNATURE);
    PatternStats first = PatternStats.empty(SIGNATURE);
    PatternStats second = PatternStats.empty(SIGNATURE);
    for (int i = 0; i < 10; i++) {
      Instant at = i % 3 == 0 ? T2 : T1;
      IncidentResolved r = resolved(ResolutionLevel.values()[i % 3], i % 4 == 0 ? null : "action-" + i,
          i % 5 == 0 ? ResolutionOutcome.FAILURE : ResolutionOutcome.SUCCESS, 10L * i);
      whole = whole.apply(detected(), at).apply(r);
      if (i < 6) {
        first = first.apply(detected(), at).apply(r);
      } else {
        second = second.apply(detected(), at).apply(r);
      }
    }

    assertThat(first.plus(second)).isEqualTo(whole);
    assertThat(PatternStats.empty(SIGNATURE).plus(whole)).isEqualTo(whole);
    assertThat(whole.plus(PatternStats.empty(SIGNATURE))).isEqualTo(whole);
  }

  @Test
  void addingStatsOfAnotherPatternIsRefused() {
    assertThatThrownBy(() -> PatternStats.empty(SIGNATURE).plus(PatternStats.empty("fedcba9876543210")))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void refusesEventsOfAnotherPattern() {
    IncidentResolved other = new IncidentResolved("INC-1", ResolutionLevel.L1, "x", ResolutionOutcome.SUCCESS, 1,
        "fedcba9876543210");

    assertThatThrownBy(() -> PatternStats.empty(SIGNATURE).apply(other))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void becomesThePatternStatsEvent() {
    PatternStats stats = PatternStats.empty(SIGNATURE).apply(detected(), T1);

    var event = stats.toEvent(PatternScope.FLEET, 4, false);

    assertThat(event.occurrences()).isEqualTo(1);
    assertThat(event.distinctSites()).isEqualTo(4);
    assertThat(event.lastSeen()).isEqualTo(T1);
    assertThat(stats.successRate()).isZero();
  }

  static IncidentDetected detected() {
    return new IncidentDetected("INC-20250301100000000000abcd", "ws-1", "service_stopped", "high", null, null,
        "veeam", null, SIGNATURE, null);
  }

  static IncidentResolved resolved(ResolutionLevel level, String action, ResolutionOutcome outcome, long ms) {
    return new IncidentResolved("INC-20250301100000000000abcd", level, action, outcome, ms, SIGNATURE);
  }
}
