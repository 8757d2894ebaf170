package dev.ledger.events;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** What a human decided about a promotion candidate. */
public enum PromotionDecision implements WireName {
  APPROVED, REJECTED;

  /** The name on the wire and in the databases. */
  @Override
  @JsonValue
  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The constant with this wire name; {@link IllegalArgumentException} for any other text. */
  public static PromotionDecision fromWire(String wire) {
    return WireName.constant(PromotionDecision.class, wire);
  }
}
