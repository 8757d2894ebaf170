package dev.ledger.events;

/** A pending order passed its {@code expires_at} without being acknowledged. */
public record OrderExpired(String orderId) implements OrderEvent {

  public OrderExpired {
    Require.text(orderId, "order_id");
  }
}
