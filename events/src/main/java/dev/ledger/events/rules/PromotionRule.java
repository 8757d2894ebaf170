package dev.ledger.events.rules;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The promotion rule: a pattern is eligible to become an L1 rule when it occurred at least 5 times, was resolved at
 * L2 at least 3 times, succeeded in at least 90% of its occurrences, has a known successful action, and was seen
 * within the last 7 days. A human still approves the promotion.
 */
public final class PromotionRule {

  public static final long MIN_OCCURRENCES = 5;
  public static final long MIN_L2_RESOLUTIONS = 3;
  public static final int MIN_SUCCESS_PERCENT = 90;
  public static final Duration MAX_AGE = Duration.ofDays(7);

  /** Whether the pattern is eligible, and why (or why not) in words for operators. */
  public record Decision(boolean eligible, String reason) {
  }

  private PromotionRule() {
  }

  public static boolean isEligible(PatternStats stats, Instant now) {
    return evaluate(stats, now).eligible();
  }

  public static Decision evaluate(PatternStats stats, Instant now) {
    List<String> unmet = new ArrayList<>();
    if (stats.occurrences() < MIN_OCCURRENCES) {
      unmet.add("occurrences " + stats.occurrences() + " < " + MIN_OCCURRENCES);
    }
    if (stats.l2Resolutions() < MIN_L2_RESOLUTIONS) {
      unmet.add("L2 resolutions " + stats.l2Resolutions() + " < " + MIN_L2_RESOLUTIONS);
    }
    // Integer arithmetic: successes / occurrences >= 0.90 without rounding surprises.
    if (stats.successes() * 100 < stats.occurrences() * MIN_SUCCESS_PERCENT || stats.occurrences() == 0) {
      unmet.add("success rate " + stats.successes() + "/" + stats.occurrences() + " < 90%");
    }
    if (stats.lastSuccessfulAction() == null || stats.lastSuccessfulAction().isBlank()) {
      unmet.add("no successful action known");
    }
    if (stats.lastSeen() == null || stats.lastSeen().isBefore(now.minus(MAX_AGE))) {
      unmet.add("not seen within " + MAX_AGE.toDays() + " days");
    }
    return unmet.isEmpty()
        ? new Decision(true, "all promotion criteria met")
        : new Decision(false, String.join("; ", unmet));
  }
}
