package dev.ledger.events;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * One entry of the closed registry {@link EventTypes}: the stable wire name of an event type, its record class, its
 * current schema version and the upcasters from each older version (keyed by the version they start from).
 */
public record EventType(
    String name, Class<? extends LedgerEvent> recordClass, int currentVersion, Map<Integer, Upcaster> upcasters) {

  private static final Pattern NAME = Pattern.compile("[a-z][a-z_]*(\\.[a-z][a-z_]*)+");

  public EventType {
    if (!NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("event type name must look like 'incident.detected': " + name);
    }
    if (!recordClass.isRecord()) {
      throw new IllegalArgumentException(recordClass + " is not a record");
    }
    upcasters = Map.copyOf(upcasters);
    var expected = IntStream.range(1, currentVersion).boxed().collect(Collectors.toSet());
    if (currentVersion < 1 || !upcasters.keySet().equals(expected)) {
      throw new IllegalArgumentException(
          name + " at version " + currentVersion + " needs upcasters from versions " + expected);
    }
  }

  /** A type still at schema version 1. */
  static EventType v1(String name, Class<? extends LedgerEvent> recordClass) {
    return new EventType(name, recordClass, 1, Map.of());
  }

  /** The payload lifted from {@code fromVersion} to {@link #currentVersion()}, one upcaster at a time. */
  public JsonNode upcast(int fromVersion, JsonNode payload) {
    JsonNode current = payload;
    for (int version = fromVersion; version < currentVersion; version++) {
      current = upcasters.get(version).upcast(current);
    }
    return current;
  }
}
