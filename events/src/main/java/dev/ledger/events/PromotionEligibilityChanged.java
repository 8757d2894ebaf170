package dev.ledger.events;

/** A pattern became eligible for promotion to an L1 rule, or stopped being so; a human still approves. */
public record PromotionEligibilityChanged(String patternSignature, boolean eligible, String reason)
    implements DerivedEvent {

  public PromotionEligibilityChanged {
    Require.patternSignature(patternSignature, "pattern_signature");
    Require.text(reason, "reason");
  }
}
