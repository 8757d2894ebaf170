package dev.ledger.events;

/** Known vulnerabilities and the appliances they affect; topic {@code cve-events}. */
public sealed interface CveEvent extends LedgerEvent
    permits CveRecorded, CveFleetMatchFound {
}
