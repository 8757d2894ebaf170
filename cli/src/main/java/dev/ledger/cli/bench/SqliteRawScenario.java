package dev.ledger.cli.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;

/**
 * Raw SQLite limits on a real file with the agent bridge's settings (WAL, synchronous=FULL): 1000 rows per
 * transaction, and one row per transaction (bound by fdatasync).
 */
final class SqliteRawScenario implements BenchScenario {
  static final String BATCH = "sqlite-batch";
  static final String ROW = "sqlite-row";
  private static final int BATCH_ROWS = 1_000_000;
  private static final int SINGLE_ROWS = 5_000;
  private static final int PER_TRANSACTION = 1000;

  @Override
  public String name() {
    return "sqlite-raw";
  }

  @Override
  public String description() {
    return "SQLite WAL + synchronous=FULL inserts, batched and one per transaction";
  }

  @Override
  public List<BenchResult> run(BenchContext context) throws Exception {
    Path dir = Files.createDirectories(context.workDir().resolve("sqlite"));
    int batchRows = context.count(BATCH_ROWS);
    int singleRows = context.count(SINGLE_ROWS);
    Duration batched = insert(dir.resolve("batched.db"), batchRows, PER_TRANSACTION);
    Duration single = insert(dir.resolve("single.db"), singleRows, 1);
    return List.of(
        BenchResult.raw(BATCH, "SQLite WAL + synchronous=FULL, " + PER_TRANSACTION + " incident rows per transaction",
            batchRows, "rows", batched),
        BenchResult.raw(ROW, "SQLite WAL + synchronous=FULL, one incident row per transaction", singleRows, "rows",
            single));
  }

  private static Duration insert(Path file, int rows, int perTransaction) throws SQLException {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file)) {
      try (Statement s = c.createStatement()) {
        s.execute("PRAGMA journal_mode=WAL");
        s.execute("PRAGMA synchronous=FULL");
        s.execute("PRAGMA foreign_keys=ON");
        try (ResultSet rs = s.executeQuery("PRAGMA synchronous")) {
          rs.next();
          if (rs.getInt(1) != 2) {
            throw new IllegalStateException("SQLite refused synchronous=FULL");
          }
        }
        s.execute("CREATE TABLE incidents (id TEXT PRIMARY KEY, site_id TEXT NOT NULL, host_id TEXT NOT NULL,"
            + " incident_type TEXT NOT NULL, severity TEXT NOT NULL, raw_data TEXT, pattern_signature TEXT,"
            + " created_at TEXT NOT NULL)");
      }
      c.setAutoCommit(false);
      long start = System.nanoTime();
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO incidents VALUES (?,?,?,?,?,?,?,?)")) {
        for (int i = 0; i < rows; i++) {
          ps.setString(1, BenchData.incidentId(i));
          ps.setString(2, BenchData.siteId(i));
          ps.setString(3, "ws-" + (i % 500));
          ps.setString(4, BenchData.TYPES[i % BenchData.TYPES.length]);
          ps.setString(5, BenchData.SEVERITIES[i % BenchData.SEVERITIES.length]);
          ps.setString(6, "{\"check\":\"" + BenchData.TYPES[i % BenchData.TYPES.length] + "\"}");
          ps.setString(7, BenchData.signature(i));
          ps.setString(8, BenchData.detectedAt(i).toString());
          ps.addBatch();
          if ((i + 1) % perTransaction == 0 || i == rows - 1) {
            ps.executeBatch();
            c.commit();
          }
        }
      }
      return Duration.ofNanos(System.nanoTime() - start);
    }
  }
}
