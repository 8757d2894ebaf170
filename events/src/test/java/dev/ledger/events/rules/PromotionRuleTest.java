package dev.ledger.events.rules;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class PromotionRuleTest {

  private static final Instant NOW = Instant.parse("2025-03-10T12:00:00Z");
  private static final String SIG = PatternStatsTest.SIGNATURE;

  @Test
  void eligibleWhenEveryCriterionIsMetAtItsBoundary() {
    PatternStats atBoundary = stats(10, 3, 9, "restart_service", NOW.minus(Duration.ofDays(7)));

    assertThat(PromotionRule.evaluate(atBoundary, NOW))
        .isEqualTo(new PromotionRule.Decision(true, "all promotion criteria met"));
    assertThat(PromotionRule.isEligible(stats(5, 3, 5, "x", NOW), NOW)).isTrue();
  }

  @Test
  void tooFewOccurrences() {
    assertThat(PromotionRule.isEligible(stats(4, 4, 4, "x", NOW), NOW)).isFalse();
  }

  @Test
  void tooFewL2Resolutions() {
    assertThat(PromotionRule.isEligible(stats(10, 2, 10, "x", NOW), NOW)).isFalse();
  }

  @Test
  void successRateBelowNinetyPercent() {
    assertThat(PromotionRule.isEligible(stats(10, 3, 8, "x", NOW), NOW)).isFalse();
    assertThat(PromotionRule.isEligible(stats(100, 3, 89, "x", NOW), NOW)).isFalse();
  }

  @Test
  void noSuccessfulActionKnown() {
    assertThat(PromotionRule.isEligible(stats(10, 3, 10, null, NOW), NOW)).isFalse();
  }

  @Test
  void notSeenWithinSevenDays() {
    Instant stale = NOW.minus(Duration.ofDays(7)).minusSeconds(1);

    assertThat(PromotionRule.isEligible(stats(10, 3, 10, "x", stale), NOW)).isFalse();
    assertThat(PromotionRule.isEligible(stats(10, 3, 10, "x", null), NOW)).isFalse();
  }

  @Test
  void theReasonListsEveryUnmetCriterion() {
    PromotionRule.Decision decision = PromotionRule.evaluate(PatternStats.empty(SIG), NOW);

    assertThat(decision.eligible()).isFalse();
    assertThat(decision.reason()).isEqualTo("occurrences 0 < 5; L2 resolutions 0 < 3; success rate 0/0 < 90%; "
        + "no successful action known; not seen within 7 days");
  }

  private static PatternStats stats(long occurrences, long l2, long successes, String action, Instant lastSeen) {
    return new PatternStats(SIG, occurrences, 0, l2, 0, successes, 0, lastSeen, action);
  }
}
