package dev.ledger.cli.audit;

import dev.ledger.cli.audit.SiteState.Incident;
import dev.ledger.cli.audit.SiteState.Suppression;
import dev.ledger.events.rules.ComplianceScoring;
import dev.ledger.events.rules.ComplianceScoring.Result;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * The differences between a replayed state and the projection, one line each, naming what differs. Instants are
 * equal when they differ by less than a microsecond: PostgreSQL keeps microseconds, an agent's clock may write
 * nanoseconds.
 */
final class StateDiff {
  private StateDiff() {
  }

  /**
   * Compares; incidents and suppressions only if {@code incidentsComparable} (the projection has every event,
   * so it can only be compared with a replay that left none out).
   */
  static List<String> compare(SiteState replay, ProjectionSnapshot projection, boolean incidentsComparable) {
    List<String> out = new ArrayList<>();
    ComplianceScoring.Score replayed = replay.score();
    ComplianceScoring.Score projected = projection.score();
    if (!replayed.equals(projected)) {
      out.add("score: replay " + replayed.passed() + "/" + replayed.total() + " (" + replayed.display()
          + "), projection " + projected.passed() + "/" + projected.total() + " (" + projected.display() + ")");
    }
    diff(out, "result", replay.results(), projection.results(), r -> r.checkType() + " on " + r.hostname(),
        StateDiff::sameResult);
    if (incidentsComparable) {
      diff(out, "open incident", replay.openIncidents(), projection.openIncidents(), Incident::incidentId,
          StateDiff::sameIncident);
      diff(out, "active suppression", replay.activeSuppressions(), projection.activeSuppressions(),
          s -> s.incidentType() + " on " + s.hostname(), StateDiff::sameSuppression);
    }
    return out;
  }

  private interface Same<T> {
    boolean test(T a, T b);
  }

  private static <T> void diff(List<String> out, String what, List<T> replay, List<T> projection,
      Function<T, String> key, Same<T> same) {
    Map<String, T> left = index(replay, key);
    Map<String, T> right = index(projection, key);
    for (Map.Entry<String, T> e : left.entrySet()) {
      T other = right.get(e.getKey());
      if (other == null) {
        out.add(what + " " + e.getKey() + ": in the replay, not in the projection: " + e.getValue());
      } else if (!same.test(e.getValue(), other)) {
        out.add(what + " " + e.getKey() + ": replay " + e.getValue() + ", projection " + other);
      }
    }
    for (Map.Entry<String, T> e : right.entrySet()) {
      if (!left.containsKey(e.getKey())) {
        out.add(what + " " + e.getKey() + ": in the projection, not in the replay: " + e.getValue());
      }
    }
  }

  private static <T> Map<String, T> index(List<T> items, Function<T, String> key) {
    Map<String, T> map = new TreeMap<>();
    items.forEach(i -> map.put(key.apply(i), i));
    return map;
  }

  private static boolean sameResult(Result a, Result b) {
    return a.status() == b.status() && sameInstant(a.checkedAt(), b.checkedAt());
  }

  private static boolean sameIncident(Incident a, Incident b) {
    return Objects.equals(a.hostname(), b.hostname()) && Objects.equals(a.incidentType(), b.incidentType())
        && Objects.equals(a.severity(), b.severity()) && Objects.equals(a.checkType(), b.checkType())
        && sameInstant(a.detectedAt(), b.detectedAt());
  }

  private static boolean sameSuppression(Suppression a, Suppression b) {
    return a.healCount() == b.healCount() && sameInstant(a.suppressedAt(), b.suppressedAt());
  }

  static boolean sameInstant(Instant a, Instant b) {
    if (a == null || b == null) {
      return a == b;
    }
    return Duration.between(a, b).abs().toNanos() < 1_000;
  }
}
