/**
 * Pure domain rules, each in exactly one place: incident ids, pattern signatures, pattern statistics and the
 * promotion rule, and the evidence hash chain.
 */
package dev.ledger.events.rules;
