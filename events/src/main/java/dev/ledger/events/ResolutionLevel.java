package dev.ledger.events;

import com.fasterxml.jackson.annotation.JsonValue;

/** The level that heals an incident: L1 a deterministic rule, L2 the planner, L3 a human. */
public enum ResolutionLevel implements WireName {
  L1, L2, L3;

  /** The name on the wire and in the databases. */
  @Override
  @JsonValue
  public String wire() {
    return name();
  }

  /** The constant with this wire name; {@link IllegalArgumentException} for any other text. */
  public static ResolutionLevel fromWire(String wire) {
    return WireName.constant(ResolutionLevel.class, wire);
  }
}
