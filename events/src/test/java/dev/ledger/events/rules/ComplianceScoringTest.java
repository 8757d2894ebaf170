package dev.ledger.events.rules;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ledger.events.CheckStatus;
import dev.ledger.events.EvidenceCheck;
import dev.ledger.events.rules.ComplianceScoring.Latest;
import dev.ledger.events.rules.ComplianceScoring.Result;
import dev.ledger.events.rules.ComplianceScoring.Score;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ComplianceScoringTest {
  private static final Instant NOW = Instant.parse("2026-11-28T12:00:00Z");

  @Test
  void latestResultPerCheckAndHostWithinThirtyDays() {
    Latest latest = new Latest(NOW);
    latest.offer(result("encryption", "h1", days(40), CheckStatus.PASS)); // outside the window
    latest.offer(result("encryption", "h1", days(1), CheckStatus.PASS));
    latest.offer(result("encryption", "h1", days(10), CheckStatus.FAIL)); // older, arrived later: loses
    latest.offer(result("encryption", "h2", days(1), CheckStatus.FAIL));
    latest.offer(result("backup", "h1", days(2), CheckStatus.WARN));
    latest.offer(result("backup", "h2", days(3), CheckStatus.PASS));

    assertThat(latest.score()).isEqualTo(new Score(2, 4));
    assertThat(latest.score().display()).isEqualTo("50.0%");
    assertThat(latest.results()).extracting(Result::checkType, Result::hostname)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("backup", "h1"), org.assertj.core.groups.Tuple.tuple("backup", "h2"),
            org.assertj.core.groups.Tuple.tuple("encryption", "h1"),
            org.assertj.core.groups.Tuple.tuple("encryption", "h2"));
  }

  @Test
  void windowBoundsAreInclusiveAndTheFutureDoesNotCount() {
    assertThat(ComplianceScoring.counts(NOW.minus(ComplianceScoring.WINDOW), NOW)).isTrue();
    assertThat(ComplianceScoring.counts(NOW.minus(ComplianceScoring.WINDOW).minusMillis(1), NOW)).isFalse();
    assertThat(ComplianceScoring.counts(NOW, NOW)).isTrue();
    assertThat(ComplianceScoring.counts(NOW.plusMillis(1), NOW)).isFalse();
  }

  @Test
  void onATieTheFirstRecordedResultStands() {
    Latest latest = new Latest(NOW);
    assertThat(latest.offer(result("backup", "h1", days(1), CheckStatus.FAIL))).isTrue();
    assertThat(latest.offer(result("backup", "h1", days(1), CheckStatus.PASS))).isFalse();
    assertThat(latest.score()).isEqualTo(new Score(0, 1));
  }

  @Test
  void noDataIsNeverAHundredPercent() {
    Score none = new Latest(NOW).score();
    assertThat(none.percent()).isEmpty();
    assertThat(none.display()).isEqualTo("no data");
    assertThat(new Score(3, 4).display()).isEqualTo("75.0%");
  }

  @Test
  void theHostIsTheChecksOwnElseTheAppliance() {
    EvidenceCheck own = new EvidenceCheck("backup", CheckStatus.PASS, "h9", null, null);
    EvidenceCheck none = new EvidenceCheck("backup", CheckStatus.PASS, null, null, null);
    assertThat(ComplianceScoring.host(own, "app-1")).isEqualTo("h9");
    assertThat(ComplianceScoring.host(none, "app-1")).isEqualTo("app-1");
    assertThat(ComplianceScoring.host(none, null)).isEmpty();
  }

  private static Result result(String check, String host, Instant at, CheckStatus status) {
    return new Result(check, host, at, status);
  }

  private static Instant days(long n) {
    return NOW.minusSeconds(n * 86_400);
  }
}
