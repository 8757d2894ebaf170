package dev.ledger.events;

/** Drift found on an appliance's hosts and how it was healed; topic {@code incident-events}. */
public sealed interface IncidentEvent extends LedgerEvent
    permits IncidentDetected, IncidentResolved, IncidentEscalated, FlapSuppressionRecorded, FlapSuppressionCleared {
}
