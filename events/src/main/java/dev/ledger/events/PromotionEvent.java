package dev.ledger.events;

/** Human decisions about promoting healing patterns to L1 rules; topic {@code promotion-events}. */
public sealed interface PromotionEvent extends LedgerEvent permits PromotionDecided {
}
