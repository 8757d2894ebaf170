package dev.ledger.cli.bench;

import java.util.List;

/**
 * One measurement of {@code ledger bench}. Raw scenarios measure this machine's limits; project scenarios
 * name the raw one they are compared against, so every figure is reported as a fraction of a limit measured in
 * the same run.
 */
public interface BenchScenario {
  /** Short stable name, used by {@code --only}. */
  String name();

  /** What is measured, in one line for the table. */
  String description();

  /** Runs the measurement; a scenario may report several related figures (produce, then consume). */
  List<BenchResult> run(BenchContext context) throws Exception;
}
