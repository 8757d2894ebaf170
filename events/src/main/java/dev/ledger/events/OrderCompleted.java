package dev.ledger.events;

import com.fasterxml.jackson.databind.JsonNode;

/** The appliance carried out an order; an absent {@code result} is JSON null. */
public record OrderCompleted(String orderId, JsonNode result) implements OrderEvent {

  public OrderCompleted {
    Require.text(orderId, "order_id");
    result = Require.json(result);
  }
}
