package dev.ledger.projector.tables;

/** How a projector writes a batch of events. */
public enum WriteMode {
  /** Events folded per row and written with multi-row statements (arrays through {@code unnest}) or JDBC batches. */
  BATCH,
  /** One statement per event, as a generic JDBC sink does: the baseline the benchmark compares with. */
  NAIVE
}
