package dev.ledger.api.commands;

import dev.ledger.events.PromotionDecision;
import java.util.Optional;

/**
 * When a human may decide about a pattern: approve only a current candidate (eligible now, with a successful
 * action to promote) that is not approved already; reject a current candidate, or revoke an approval, unless it
 * is rejected already.
 */
final class PromotionRules {
  private PromotionRules() {
  }

  /**
   * Why {@code wanted} is not allowed, or empty if it is.
   *
   * @param current the standing decision, null if nobody decided yet
   */
  static Optional<String> conflict(String signature, PromotionDecision wanted, boolean eligible, String action,
      PromotionDecision current) {
    if (wanted == current) {
      return Optional.of("pattern " + signature + " is already " + current.wire());
    }
    if (wanted == PromotionDecision.APPROVED) {
      if (!eligible) {
        return Optional.of("pattern " + signature + " is not currently eligible for promotion");
      }
      if (action == null) {
        return Optional.of("pattern " + signature + " has no successful action to promote");
      }
      return Optional.empty();
    }
    if (!eligible && current != PromotionDecision.APPROVED) {
      return Optional.of("pattern " + signature + " is neither a current candidate nor approved: nothing to reject");
    }
    return Optional.empty();
  }
}
