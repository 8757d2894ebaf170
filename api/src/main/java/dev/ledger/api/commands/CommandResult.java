package dev.ledger.api.commands;

/**
 * The answer to a command. {@code status} is {@code accepted} (202: the event is on the ledger, the projection
 * follows) or {@code applied} (200, with {@code ?wait=true}: the projection has applied it). {@code resource} is,
 * when accepted, the ids the command created or names; when applied, the projected resource as it now reads.
 */
public record CommandResult(String eventId, String type, String status, Object resource) {
}
