package dev.ledger.events;

/** Signed evidence bundles of compliance checks; topic {@code evidence-events}. */
public sealed interface EvidenceEvent extends LedgerEvent
    permits EvidenceSubmitted {
}
