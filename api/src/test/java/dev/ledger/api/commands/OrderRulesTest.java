package dev.ledger.api.commands;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ledger.api.commands.OrderRules.Step;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class OrderRulesTest {
  private static final Instant EXPIRES = Instant.parse("2026-11-28T13:00:00Z");
  private static final Instant BEFORE = EXPIRES.minusSeconds(1);

  @Test
  void pendingGoesToAcknowledgedThenCompletedOrFailed() {
    assertThat(OrderRules.conflict("o", "pending", EXPIRES, BEFORE, Step.ACKNOWLEDGE)).isEmpty();
    assertThat(OrderRules.conflict("o", "acknowledged", EXPIRES, BEFORE, Step.COMPLETE)).isEmpty();
    assertThat(OrderRules.conflict("o", "acknowledged", EXPIRES, BEFORE, Step.FAIL)).isEmpty();
  }

  @Test
  void anAcknowledgedOrderMayFinishAfterItsExpiry() {
    assertThat(OrderRules.conflict("o", "acknowledged", EXPIRES, EXPIRES.plusSeconds(3600), Step.COMPLETE))
        .isEmpty();
  }

  @Test
  void aPendingOrderAtOrPastItsExpiryIsExpiredBeforeTheSweepSaysSo() {
    assertThat(OrderRules.effectiveStatus("pending", EXPIRES, EXPIRES)).isEqualTo("expired");
    assertThat(OrderRules.effectiveStatus("pending", EXPIRES, BEFORE)).isEqualTo("pending");
    assertThat(OrderRules.effectiveStatus("acknowledged", EXPIRES, EXPIRES)).isEqualTo("acknowledged");
    assertThat(OrderRules.conflict("o-1", "pending", EXPIRES, EXPIRES, Step.ACKNOWLEDGE))
        .hasValue("cannot acknowledge: order o-1 expired at " + EXPIRES);
  }

  @Test
  void everyOtherStepIsRefusedWithTheReason() {
    assertThat(OrderRules.conflict("o", "pending", EXPIRES, BEFORE, Step.COMPLETE)).get().asString()
        .contains("is pending: acknowledge it before you complete it");
    assertThat(OrderRules.conflict("o", "pending", EXPIRES, BEFORE, Step.FAIL)).get().asString()
        .contains("acknowledge it before you fail it");
    assertThat(OrderRules.conflict("o", "acknowledged", EXPIRES, BEFORE, Step.ACKNOWLEDGE)).get().asString()
        .contains("is already acknowledged");
    for (String done : new String[] {"completed", "failed", "expired"}) {
      for (Step step : Step.values()) {
        assertThat(OrderRules.conflict("o", done, EXPIRES, BEFORE, step)).as(done + " " + step).get().asString()
            .startsWith("cannot " + step.verb).contains(done);
      }
    }
  }

  @Test
  void aTimeToLiveIsPositiveAndAtMostSevenDays() {
    assertThat(OrderRules.ttlProblem(1)).isEmpty();
    assertThat(OrderRules.ttlProblem(7 * 24 * 3600)).isEmpty();
    assertThat(OrderRules.ttlProblem(0)).get().asString().contains("must be positive");
    assertThat(OrderRules.ttlProblem(-5)).get().asString().contains("must be positive");
    assertThat(OrderRules.ttlProblem(7 * 24 * 3600 + 1)).get().asString().contains("at most 604800");
  }

  @Test
  void eachStepNamesTheStatusItLeads() {
    assertThat(Step.ACKNOWLEDGE.resultingStatus()).isEqualTo("acknowledged");
    assertThat(Step.COMPLETE.resultingStatus()).isEqualTo("completed");
    assertThat(Step.FAIL.resultingStatus()).isEqualTo("failed");
  }
}
