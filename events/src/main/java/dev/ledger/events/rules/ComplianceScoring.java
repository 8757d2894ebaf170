package dev.ledger.events.rules;

import dev.ledger.events.CheckStatus;
import dev.ledger.events.EvidenceCheck;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalDouble;

/**
 * The compliance score rule, the one formula of every screen, the projector and the audit replay: the latest
 * result per (check, host) among the results checked within the {@link #WINDOW} up to and including the instant
 * the score is taken at; passed ÷ total × 100. No result in the window is "no data", never 100%. Of two results
 * of one (check, host) with the same check time the first one recorded stands (the projection's primary key
 * keeps the first row). The time that counts is the agent's {@code checked_at}.
 */
public final class ComplianceScoring {

  /** How far back results count. */
  public static final Duration WINDOW = Duration.ofDays(30);
  private static final Comparator<Result> ORDER =
      Comparator.comparing(Result::checkType).thenComparing(Result::hostname);

  private ComplianceScoring() {
  }

  /** One check result of one host as the rule sees it. */
  public record Result(String checkType, String hostname, Instant checkedAt, CheckStatus status) {
    public Result {
      Objects.requireNonNull(checkType, "checkType");
      Objects.requireNonNull(hostname, "hostname");
      Objects.requireNonNull(checkedAt, "checkedAt");
      Objects.requireNonNull(status, "status");
    }
  }

  /** A score: results that passed out of the results that count. */
  public record Score(long passed, long total) {
    public Score {
      if (passed < 0 || total < passed) {
        throw new IllegalArgumentException("need 0 <= passed <= total, got " + passed + "/" + total);
      }
    }

    /** passed ÷ total × 100, or empty when there is no data. */
    public OptionalDouble percent() {
      return total == 0 ? OptionalDouble.empty() : OptionalDouble.of(100.0 * passed / total);
    }

    /** {@code "no data"} or the percentage with one decimal, e.g. {@code "87.5%"}. */
    public String display() {
      return total == 0 ? "no data" : String.format(Locale.ROOT, "%.1f%%", percent().getAsDouble());
    }
  }

  /** The first instant of the window of a score taken at {@code asOf} (inclusive, as is {@code asOf}). */
  public static Instant windowStart(Instant asOf) {
    return asOf.minus(WINDOW);
  }

  /** Whether a result checked at {@code checkedAt} counts for a score taken at {@code asOf}. */
  public static boolean counts(Instant checkedAt, Instant asOf) {
    return !checkedAt.isBefore(windowStart(asOf)) && !checkedAt.isAfter(asOf);
  }

  /** The host a check is about: its own hostname, else the appliance that sent it, else the empty string. */
  public static String host(EvidenceCheck check, String applianceId) {
    if (check.hostname() != null) {
      return check.hostname();
    }
    return applianceId == null ? "" : applianceId;
  }

  /** The score of results that are already the latest per (check, host). */
  public static Score score(Collection<Result> latest) {
    long passed = latest.stream().filter(r -> r.status() == CheckStatus.PASS).count();
    return new Score(passed, latest.size());
  }

  /**
   * Folds results, offered in the order they were recorded, into the latest per (check, host) that counts at
   * one instant. Results outside the window are ignored.
   */
  public static final class Latest {
    private final Instant asOf;
    private final Map<List<String>, Result> latest = new LinkedHashMap<>();

    public Latest(Instant asOf) {
      this.asOf = Objects.requireNonNull(asOf, "asOf");
    }

    /** Takes a result into account; returns whether it is now the latest of its (check, host). */
    public boolean offer(Result result) {
      if (!counts(result.checkedAt(), asOf)) {
        return false;
      }
      List<String> key = List.of(result.checkType(), result.hostname());
      Result current = latest.get(key);
      if (current != null && !result.checkedAt().isAfter(current.checkedAt())) {
        return false;
      }
      latest.put(key, result);
      return true;
    }

    /** The latest result per (check, host), sorted by check type then host. */
    public List<Result> results() {
      List<Result> sorted = new ArrayList<>(latest.values());
      sorted.sort(ORDER);
      return sorted;
    }

    public Score score() {
      return ComplianceScoring.score(latest.values());
    }

    public Instant asOf() {
      return asOf;
    }
  }
}
