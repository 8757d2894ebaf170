package dev.ledger.cli.bench;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class BenchReportTest {
  @Test
  void aFigureWithLatenciesShowsItsP99AgainstItsBaselines() {
    BenchResult direct = new BenchResult("sql-first-page", "direct", 2000, "queries", Duration.ofSeconds(1), null,
        10_000L, 200_000L);
    BenchResult api = new BenchResult("api-first-page", "api", 500, "requests", Duration.ofSeconds(1),
        "sql-first-page", 20_000L, 300_000L);
    String table = BenchReport.markdown(List.of(direct, api), "test machine");
    assertTrue(table.contains("| 20.00 / 300.00 ms | 0.25× sql-first-page, p99 1.50× |"), table);
    assertTrue(table.contains("| 10.00 / 200.00 ms | raw limit |"), table);
  }

  @Test
  void aFigureWithoutLatenciesShowsOnlyTheThroughputRatio() {
    BenchResult raw = BenchResult.raw("pg-copy", "copy", 1000, "rows", Duration.ofSeconds(1));
    BenchResult project = new BenchResult("projector-incidents", "batch", 500, "events", Duration.ofSeconds(1),
        "pg-copy", null, null);
    String table = BenchReport.markdown(List.of(raw, project), "test machine");
    assertTrue(table.contains("|  | 0.50× pg-copy |"), table);
  }
}
