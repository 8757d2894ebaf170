/** SHA-256 hashing and Ed25519 keys and envelope signatures. */
package dev.ledger.events.crypto;
