package dev.ledger.events;

import java.util.Arrays;

/** An enum whose constants have a fixed name on the wire and in the databases. */
interface WireName {

  String wire();

  static <E extends Enum<E> & WireName> E constant(Class<E> type, String wire) {
    return Arrays.stream(type.getEnumConstants())
        .filter(c -> c.wire().equals(wire))
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException(
            "unknown " + type.getSimpleName() + " '" + wire + "'"));
  }
}
