/**
 * The event vocabulary of the ledger: the {@link dev.ledger.events.Envelope}, the sealed family of
 * {@link dev.ledger.events.LedgerEvent} records (one sub-interface per stream), the closed registry
 * {@link dev.ledger.events.EventTypes} with its upcasters, the JSON wire format ({@link dev.ledger.events.EventSerde},
 * {@link dev.ledger.events.CanonicalJson}) and the exception root {@link dev.ledger.events.LedgerException}.
 * Depends on no other module of the project.
 */
package dev.ledger.events;
