/**
 * Pure domain rules, each in exactly one place: incident ids, pattern signatures, pattern statistics and the
 * promotion rule, the evidence hash chain, and the compliance score.
 */
package dev.ledger.events.rules;
