package dev.ledger.api.commands;

import static dev.ledger.events.PromotionDecision.APPROVED;
import static dev.ledger.events.PromotionDecision.REJECTED;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PromotionRulesTest {
  private static final String SIG = "0123456789abcdef";

  @Test
  void onlyACurrentCandidateWithAnActionCanBeApproved() {
    assertThat(PromotionRules.conflict(SIG, APPROVED, true, "restart", null)).isEmpty();
    assertThat(PromotionRules.conflict(SIG, APPROVED, true, "restart", REJECTED)).isEmpty();
    assertThat(PromotionRules.conflict(SIG, APPROVED, false, "restart", null)).get().asString()
        .contains("not currently eligible");
    assertThat(PromotionRules.conflict(SIG, APPROVED, true, null, null)).get().asString()
        .contains("no successful action");
  }

  @Test
  void theSameDecisionTwiceIsAConflict() {
    assertThat(PromotionRules.conflict(SIG, APPROVED, true, "restart", APPROVED)).get().asString()
        .isEqualTo("pattern " + SIG + " is already approved");
    assertThat(PromotionRules.conflict(SIG, REJECTED, true, "restart", REJECTED)).get().asString()
        .isEqualTo("pattern " + SIG + " is already rejected");
  }

  @Test
  void aCandidateCanBeRejectedAndAnApprovalRevokedEvenAfterEligibilityEnded() {
    assertThat(PromotionRules.conflict(SIG, REJECTED, true, null, null)).isEmpty();
    assertThat(PromotionRules.conflict(SIG, REJECTED, false, "restart", APPROVED)).isEmpty();
    assertThat(PromotionRules.conflict(SIG, REJECTED, false, "restart", null)).get().asString()
        .contains("nothing to reject");
  }
}
