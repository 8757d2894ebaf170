package dev.ledger.events;

/** Compliance frameworks (HIPAA, SOC 2, ...) and their controls; topic {@code framework-events}. */
public sealed interface FrameworkEvent extends LedgerEvent
    permits FrameworkControlsSynced {
}
