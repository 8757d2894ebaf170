package dev.ledger.events;

/** The life of an order sent to an appliance; topic {@code order-events}. */
public sealed interface OrderEvent extends LedgerEvent
    permits OrderIssued, OrderAcknowledged, OrderCompleted, OrderFailed, OrderExpired {
}
