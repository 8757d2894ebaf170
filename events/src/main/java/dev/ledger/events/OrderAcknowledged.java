package dev.ledger.events;

/** The appliance picked up a pending order. */
public record OrderAcknowledged(String orderId) implements OrderEvent {

  public OrderAcknowledged {
    Require.text(orderId, "order_id");
  }
}
