/**
 * Merkle logs as RFC 9162 (Certificate Transparency v2, after RFC 6962) defines them: leaf and node hashing,
 * tree heads, inclusion and consistency proofs and their verification, and checkpoints in the C2SP signed-note
 * format. Pure functions over hashes: where the nodes live is the caller's business ({@link
 * dev.ledger.events.merkle.NodeSource}).
 */
package dev.ledger.events.merkle;
