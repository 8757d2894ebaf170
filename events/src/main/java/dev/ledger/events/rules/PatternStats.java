package dev.ledger.events.rules;

import dev.ledger.events.Hex;
import dev.ledger.events.IncidentDetected;
import dev.ledger.events.IncidentResolved;
import dev.ledger.events.PatternScope;
import dev.ledger.events.PatternStatsChanged;
import dev.ledger.events.ResolutionLevel;
import dev.ledger.events.ResolutionOutcome;
import java.time.Instant;

/**
 * The statistics of one incident pattern, folded from its incident events: start from {@link #empty} and
 * {@code apply} each event. Counters only ever add (never take a maximum), so the fold over a site's events gives
 * the site's stats and the same fold over every site's events gives the fleet's. {@code lastSeen} is the latest
 * detection; {@code lastSuccessfulAction} the action of the latest successful resolution applied.
 */
public record PatternStats(
    String patternSignature,
    long occurrences,
    long l1Resolutions,
    long l2Resolutions,
    long l3Resolutions,
    long successes,
    long totalResolutionTimeMs,
    Instant lastSeen,
    String lastSuccessfulAction) {

  public PatternStats {
    if (!Hex.isLowercase(patternSignature, 16)) {
      throw new IllegalArgumentException("pattern signature must be 16 lowercase hex: " + patternSignature);
    }
    if (occurrences < 0 || l1Resolutions < 0 || l2Resolutions < 0 || l3Resolutions < 0 || successes < 0
        || totalResolutionTimeMs < 0) {
      throw new IllegalArgumentException("pattern stats counters must not be negative");
    }
  }

  /** No events yet. */
  public static PatternStats empty(String patternSignature) {
    return new PatternStats(patternSignature, 0, 0, 0, 0, 0, 0, null, null);
  }

  /** One more occurrence, detected at {@code occurredAt} (the envelope's time). */
  public PatternStats apply(IncidentDetected detected, Instant occurredAt) {
    requireSamePattern(detected.patternSignature());
    Instant seen = lastSeen == null || occurredAt.isAfter(lastSeen) ? occurredAt : lastSeen;
    return new PatternStats(patternSignature, occurrences + 1, l1Resolutions, l2Resolutions, l3Resolutions,
        successes, totalResolutionTimeMs, seen, lastSuccessfulAction);
  }

  /** One more resolution at its level; a success also counts as a success and records its action. */
  public PatternStats apply(IncidentResolved resolved) {
    requireSamePattern(resolved.patternSignature());
    boolean success = resolved.outcome() == ResolutionOutcome.SUCCESS;
    return new PatternStats(patternSignature, occurrences,
        l1Resolutions + count(resolved, ResolutionLevel.L1),
        l2Resolutions + count(resolved, ResolutionLevel.L2),
        l3Resolutions + count(resolved, ResolutionLevel.L3),
        successes + (success ? 1 : 0),
        totalResolutionTimeMs + resolved.resolutionTimeMs(), lastSeen,
        success && resolved.action() != null ? resolved.action() : lastSuccessfulAction);
  }

  /**
   * These stats followed by {@code later}, the fold of the events that came after them (or of another site's
   * events): counters add, {@code lastSeen} is the later of the two, and the last successful action is
   * {@code later}'s if it has one. Folding a run of events in parts and adding the parts gives the fold of the run.
   */
  public PatternStats plus(PatternStats later) {
    requireSamePattern(later.patternSignature());
    Instant seen = lastSeen == null || later.lastSeen() != null && later.lastSeen().isAfter(lastSeen)
        ? later.lastSeen() : lastSeen;
    return new PatternStats(patternSignature, occurrences + later.occurrences(),
        l1Resolutions + later.l1Resolutions(), l2Resolutions + later.l2Resolutions(),
        l3Resolutions + later.l3Resolutions(), successes + later.successes(),
        totalResolutionTimeMs + later.totalResolutionTimeMs(), seen,
        later.lastSuccessfulAction() != null ? later.lastSuccessfulAction() : lastSuccessfulAction);
  }

  /** Successes per occurrence; 0 without occurrences. */
  public double successRate() {
    return occurrences == 0 ? 0.0 : (double) successes / occurrences;
  }

  /** These stats as the event of the pattern-stats topic. */
  public PatternStatsChanged toEvent(PatternScope scope, int distinctSites, boolean promotionEligible) {
    return new PatternStatsChanged(scope, patternSignature, occurrences, l1Resolutions, l2Resolutions,
        l3Resolutions, successes, totalResolutionTimeMs, lastSeen, lastSuccessfulAction, distinctSites,
        promotionEligible);
  }

  private static long count(IncidentResolved resolved, ResolutionLevel level) {
    return resolved.level() == level ? 1 : 0;
  }

  private void requireSamePattern(String signature) {
    if (!patternSignature.equals(signature)) {
      throw new IllegalArgumentException(
          "event of pattern " + signature + " applied to stats of " + patternSignature);
    }
  }
}
