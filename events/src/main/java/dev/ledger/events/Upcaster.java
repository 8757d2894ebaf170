package dev.ledger.events;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Turns the JSON payload of one event type at schema version n into the payload at version n + 1. Registered in
 * {@link EventTypes} per type and starting version; must not modify its argument.
 */
@FunctionalInterface
public interface Upcaster {

  JsonNode upcast(JsonNode payload);
}
