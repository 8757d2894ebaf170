package dev.ledger.events;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** The result of one evidence check. */
public enum CheckStatus implements WireName {
  PASS, FAIL, WARN, ERROR;

  /** The name on the wire and in the databases. */
  @Override
  @JsonValue
  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The constant with this wire name; {@link IllegalArgumentException} for any other text. */
  public static CheckStatus fromWire(String wire) {
    return WireName.constant(CheckStatus.class, wire);
  }
}
