package dev.ledger.events;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** How an attempt to resolve an incident ended. */
public enum ResolutionOutcome implements WireName {
  SUCCESS, FAILURE, PARTIAL, ESCALATED, TIMEOUT;

  /** The name on the wire and in the databases. */
  @Override
  @JsonValue
  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The constant with this wire name; {@link IllegalArgumentException} for any other text. */
  public static ResolutionOutcome fromWire(String wire) {
    return WireName.constant(ResolutionOutcome.class, wire);
  }
}
