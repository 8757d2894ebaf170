package dev.ledger.bridge;

import java.sql.SQLException;

/**
 * One request's writes, run by the writer thread inside its group's transaction. Contract: an op may refuse with
 * a {@link dev.ledger.events.LedgerException} only BEFORE its first write, so a refusal leaves the group intact;
 * any other failure rolls the group back and each op is then retried alone.
 */
@FunctionalInterface
interface WriteOp<T> {
  T apply(Writer writer) throws SQLException;
}
