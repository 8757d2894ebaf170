package dev.ledger.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** The upcasters of old payload versions, one method per step, registered in {@link EventTypes}. */
final class Upcasters {

  private Upcasters() {
  }

  /** incident.detected v1 → v2: the field {@code error} was renamed {@code error_message}. */
  static JsonNode incidentDetectedV1ToV2(JsonNode v1) {
    ObjectNode v2 = ((ObjectNode) v1).deepCopy();
    JsonNode error = v2.remove("error");
    v2.set("error_message", error == null ? NullNode.getInstance() : error);
    return v2;
  }
}
