package dev.ledger.events;

import java.time.Instant;

/**
 * The statistics of one incident pattern changed, for one site or the whole fleet. Counters are totals, not
 * deltas. {@code lastSeen} and {@code lastSuccessfulAction} are optional.
 */
public record PatternStatsChanged(
    PatternScope scope,
    String patternSignature,
    long occurrences,
    long l1Resolutions,
    long l2Resolutions,
    long l3Resolutions,
    long successes,
    long totalResolutionTimeMs,
    Instant lastSeen,
    String lastSuccessfulAction,
    int distinctSites,
    boolean promotionEligible) implements DerivedEvent {

  public PatternStatsChanged {
    Require.present(scope, "scope");
    Require.patternSignature(patternSignature, "pattern_signature");
    Require.nonNegative(occurrences, "occurrences");
    Require.nonNegative(l1Resolutions, "l1_resolutions");
    Require.nonNegative(l2Resolutions, "l2_resolutions");
    Require.nonNegative(l3Resolutions, "l3_resolutions");
    Require.nonNegative(successes, "successes");
    Require.nonNegative(totalResolutionTimeMs, "total_resolution_time_ms");
    Require.nonNegative(distinctSites, "distinct_sites");
  }
}
