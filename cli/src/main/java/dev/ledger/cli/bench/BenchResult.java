package dev.ledger.cli.bench;

import java.time.Duration;

/**
 * What one scenario measured: {@code items} of {@code unit} in {@code elapsed}; {@code baseline} names the raw
 * scenario this one is a fraction of (null for raw limits); optional latency percentiles in microseconds.
 */
public record BenchResult(
    String scenario, String description, long items, String unit, Duration elapsed, String baseline,
    Long p50Micros, Long p99Micros) {

  public static BenchResult raw(String scenario, String description, long items, String unit, Duration elapsed) {
    return new BenchResult(scenario, description, items, unit, elapsed, null, null, null);
  }

  /** Nearest-rank percentile {@code p} (0-100) of sorted latencies; 0 when there are none. */
  public static long percentile(long[] sorted, double p) {
    if (sorted.length == 0) {
      return 0;
    }
    int rank = (int) Math.ceil(p / 100.0 * sorted.length);
    return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
  }

  public double perSecond() {
    return items / Math.max(1e-9, elapsed.toNanos() / 1e9);
  }
}
