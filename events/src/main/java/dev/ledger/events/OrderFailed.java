package dev.ledger.events;

/** The appliance could not carry out an order. */
public record OrderFailed(String orderId, String errorMessage) implements OrderEvent {

  public OrderFailed {
    Require.text(orderId, "order_id");
    Require.text(errorMessage, "error_message");
  }
}
