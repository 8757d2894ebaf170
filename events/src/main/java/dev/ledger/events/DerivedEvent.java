package dev.ledger.events;

/** State computed by the stream processor from the ledger; each has a derived topic of its own. */
public sealed interface DerivedEvent extends LedgerEvent
    permits PatternStatsChanged, PromotionEligibilityChanged, EvidenceSealed {
}
