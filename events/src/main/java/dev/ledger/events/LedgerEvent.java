package dev.ledger.events;

/**
 * Every event of the ledger: the closed family of payloads an {@link Envelope} can carry. One sub-interface per
 * stream; {@link EventTypes} names each record on the wire.
 */
public sealed interface LedgerEvent
    permits RegistryEvent, IncidentEvent, EvidenceEvent, OrderEvent, PromotionEvent, DerivedEvent, CveEvent,
    FrameworkEvent, AuditEvent {
}
