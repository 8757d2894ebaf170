package dev.ledger.cli.bench;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.postgresql.PGConnection;
import org.postgresql.copy.PGCopyOutputStream;

/**
 * Raw PostgreSQL limits with durable commits (fsync and synchronous_commit on): COPY of incident rows, batched
 * INSERT, batched upsert, and one row per commit, all into the same 10-column incidents-like table.
 */
final class PostgresRawScenario implements BenchScenario {
  static final String COPY = "pg-copy";
  static final String INSERT_BATCH = "pg-insert-batch";
  static final String UPSERT_BATCH = "pg-upsert-batch";
  static final String INSERT_ROW = "pg-insert-row";
  private static final int COPY_ROWS = 1_000_000;
  private static final int BATCH_ROWS = 200_000;
  private static final int SINGLE_ROWS = 3_000;
  private static final int BATCH = 1000;
  private static final String COLUMNS =
      "incident_id, site_id, appliance_id, hostname, incident_type, severity, pattern_signature, status,"
          + " detected_at, resolution_time_ms";

  @Override
  public String name() {
    return "pg-raw";
  }

  @Override
  public String description() {
    return "PostgreSQL COPY, batched INSERT and upsert, one row per commit";
  }

  @Override
  public List<BenchResult> run(BenchContext context) throws Exception {
    List<BenchResult> results = new ArrayList<>();
    try (Connection c = context.dataSource().getConnection()) {
      c.setAutoCommit(true);
      try (Statement s = c.createStatement()) {
        s.execute("CREATE SCHEMA IF NOT EXISTS bench");
        String durable = "";
        try (var rs = s.executeQuery("SHOW fsync")) {
          rs.next();
          durable = "fsync=" + rs.getString(1);
        }
        try (var rs = s.executeQuery("SHOW synchronous_commit")) {
          rs.next();
          durable += ", synchronous_commit=" + rs.getString(1);
        }
        int copyRows = context.count(COPY_ROWS);
        recreate(s);
        results.add(BenchResult.raw(COPY, "PostgreSQL COPY of " + copyRows + " incident rows, 10 columns, one"
            + " transaction (" + durable + ")", copyRows, "rows", copy(c, copyRows)));
        int batchRows = context.count(BATCH_ROWS);
        recreate(s);
        results.add(BenchResult.raw(INSERT_BATCH, "PostgreSQL INSERT, " + BATCH + " rows a batch and a commit",
            batchRows, "rows", insertBatches(c, batchRows, false)));
        results.add(BenchResult.raw(UPSERT_BATCH, "PostgreSQL INSERT ... ON CONFLICT DO UPDATE over the same keys,"
            + " " + BATCH + " rows a batch and a commit", batchRows, "rows", insertBatches(c, batchRows, true)));
        int singleRows = context.count(SINGLE_ROWS);
        recreate(s);
        results.add(BenchResult.raw(INSERT_ROW, "PostgreSQL INSERT, one row per commit", singleRows, "rows",
            insertOneByOne(c, singleRows)));
        s.execute("DROP SCHEMA bench CASCADE");
      }
    }
    return results;
  }

  private static void recreate(Statement s) throws SQLException {
    s.execute("DROP TABLE IF EXISTS bench.incidents");
    s.execute("CREATE TABLE bench.incidents (incident_id text PRIMARY KEY, site_id text NOT NULL,"
        + " appliance_id text NOT NULL, hostname text NOT NULL, incident_type text NOT NULL, severity text NOT NULL,"
        + " pattern_signature text NOT NULL, status text NOT NULL, detected_at timestamptz NOT NULL,"
        + " resolution_time_ms bigint)");
  }

  private static Duration copy(Connection c, int rows) throws SQLException, IOException {
    long start = System.nanoTime();
    c.setAutoCommit(false);
    PGConnection pg = c.unwrap(PGConnection.class);
    try (PGCopyOutputStream out = new PGCopyOutputStream(pg,
            "COPY bench.incidents (" + COLUMNS + ") FROM STDIN (FORMAT csv)", 1 << 16);
        Writer w = new java.io.OutputStreamWriter(out, StandardCharsets.UTF_8)) {
      StringBuilder line = new StringBuilder(160);
      for (int i = 0; i < rows; i++) {
        line.setLength(0);
        line.append(BenchData.incidentId(i)).append(',').append(BenchData.siteId(i)).append(",appliance-")
            .append(i % 3000).append(",ws-").append(i % 500).append(',')
            .append(BenchData.TYPES[i % BenchData.TYPES.length]).append(',')
            .append(BenchData.SEVERITIES[i % BenchData.SEVERITIES.length]).append(',')
            .append(BenchData.signature(i)).append(",open,").append(BenchData.detectedAt(i))
            .append(',').append(i % 90_000).append('\n');
        w.write(line.toString());
      }
    }
    c.commit();
    c.setAutoCommit(true);
    return Duration.ofNanos(System.nanoTime() - start);
  }

  private static Duration insertBatches(Connection c, int rows, boolean upsert) throws SQLException {
    String sql = "INSERT INTO bench.incidents (" + COLUMNS + ") VALUES (?,?,?,?,?,?,?,?,?,?)"
        + (upsert ? " ON CONFLICT (incident_id) DO UPDATE SET status = EXCLUDED.status,"
            + " resolution_time_ms = EXCLUDED.resolution_time_ms" : "");
    long start = System.nanoTime();
    c.setAutoCommit(false);
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      for (int i = 0; i < rows; i++) {
        bind(ps, i, upsert ? "resolved" : "open");
        ps.addBatch();
        if ((i + 1) % BATCH == 0 || i == rows - 1) {
          ps.executeBatch();
          c.commit();
        }
      }
    }
    c.setAutoCommit(true);
    return Duration.ofNanos(System.nanoTime() - start);
  }

  private static Duration insertOneByOne(Connection c, int rows) throws SQLException {
    long start = System.nanoTime();
    try (PreparedStatement ps = c.prepareStatement(
        "INSERT INTO bench.incidents (" + COLUMNS + ") VALUES (?,?,?,?,?,?,?,?,?,?)")) {
      for (int i = 0; i < rows; i++) {
        bind(ps, i, "open");
        ps.executeUpdate();
      }
    }
    return Duration.ofNanos(System.nanoTime() - start);
  }

  private static void bind(PreparedStatement ps, int i, String status) throws SQLException {
    ps.setString(1, BenchData.incidentId(i));
    ps.setString(2, BenchData.siteId(i));
    ps.setString(3, "appliance-" + (i % 3000));
    ps.setString(4, "ws-" + (i % 500));
    ps.setString(5, BenchData.TYPES[i % BenchData.TYPES.length]);
    ps.setString(6, BenchData.SEVERITIES[i % BenchData.SEVERITIES.length]);
    ps.setString(7, BenchData.signature(i));
    ps.setString(8, status);
    ps.setTimestamp(9, Timestamp.from(BenchData.detectedAt(i)));
    ps.setLong(10, i % 90_000);
  }
}
