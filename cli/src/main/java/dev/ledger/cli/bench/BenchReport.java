package dev.ledger.cli.bench;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Renders results as a Markdown table; a project figure shows its ratio to the raw figure of the same run. */
final class BenchReport {
  private BenchReport() {}

  static String markdown(List<BenchResult> results, String machine) {
    Map<String, BenchResult> byName = new HashMap<>();
    results.forEach(r -> byName.put(r.scenario(), r));
    StringBuilder sb = new StringBuilder();
    sb.append("Machine: ").append(machine).append("\n\n");
    sb.append("| scenario | what | items | seconds | per second | p50 / p99 | vs raw |\n");
    sb.append("| --- | --- | ---: | ---: | ---: | --- | --- |\n");
    for (BenchResult r : results) {
      BenchResult base = r.baseline() == null ? null : byName.get(r.baseline());
      String ratio = r.baseline() == null ? "raw limit"
          : base == null ? "(" + r.baseline() + " not run)"
          : String.format("%.2f× %s", r.perSecond() / base.perSecond(), r.baseline())
              + (r.p99Micros() != null && base.p99Micros() != null && base.p99Micros() > 0
                  ? String.format(", p99 %.2f×", (double) r.p99Micros() / base.p99Micros()) : "");
      String latency = r.p50Micros() == null ? ""
          : String.format("%.2f / %.2f ms", r.p50Micros() / 1000.0, r.p99Micros() / 1000.0);
      sb.append(String.format("| %s | %s | %,d %s | %.2f | %,.0f | %s | %s |%n", r.scenario(), r.description(),
          r.items(), r.unit(), r.elapsed().toNanos() / 1e9, r.perSecond(), latency, ratio));
    }
    return sb.toString();
  }
}
