package dev.ledger.events;

/**
 * A human approved or rejected promoting a pattern to an L1 rule, for one site (the envelope's site) or the whole
 * fleet (envelope site {@link Envelope#FLEET_SITE_ID}). {@code action} is the successful action being promoted,
 * required when approved; {@code reason} is optional. The latest decision per (scope, site, pattern) stands.
 */
public record PromotionDecided(
    PatternScope scope,
    String patternSignature,
    PromotionDecision decision,
    String action,
    String decidedBy,
    String reason) implements PromotionEvent {

  public PromotionDecided {
    Require.present(scope, "scope");
    Require.patternSignature(patternSignature, "pattern_signature");
    Require.present(decision, "decision");
    if (decision == PromotionDecision.APPROVED) {
      Require.text(action, "action");
    }
    Require.text(decidedBy, "decided_by");
  }
}
