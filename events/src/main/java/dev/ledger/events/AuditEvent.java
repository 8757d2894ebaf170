package dev.ledger.events;

/** What the ledger itself attests about its evidence logs; topic {@code evidence-checkpoints}. */
public sealed interface AuditEvent extends LedgerEvent permits EvidenceLogCheckpointed {
}
