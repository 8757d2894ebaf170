package dev.ledger.events;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** Whether pattern statistics cover one site or the whole fleet. */
public enum PatternScope implements WireName {
  SITE, FLEET;

  /** The name on the wire and in the databases. */
  @Override
  @JsonValue
  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The constant with this wire name; {@link IllegalArgumentException} for any other text. */
  public static PatternScope fromWire(String wire) {
    return WireName.constant(PatternScope.class, wire);
  }
}
