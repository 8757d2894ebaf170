package dev.ledger.cli.bench;

import java.nio.file.Path;
import javax.sql.DataSource;

/**
 * What a scenario may use: the run's Kafka, PostgreSQL (a pool, and its JDBC URL for scenarios that need their own
 * connections), a scratch directory, and the size factor.
 */
public record BenchContext(String bootstrapServers, DataSource dataSource, String jdbcUrl, Path workDir,
    double scale) {
  /** {@code base} scaled by {@code --scale}, at least 1. */
  public int count(int base) {
    return (int) Math.max(1, Math.round(base * scale));
  }
}
