package dev.ledger.cli.bench;

import dev.ledger.bridge.store.AgentDatabase;
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
import java.util.SplittableRandom;
import java.util.UUID;

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
  static final String BRIDGE = "sqlite-bridge-schema";
  private static final int BRIDGE_ROWS = 300_000;
  /** About the group the bridge's group commit forms with 512 callers in flight (281 on average, measured). */
  private static final int BRIDGE_GROUP = 512;

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
    int bridgeRows = context.count(BRIDGE_ROWS);
    Duration bridge = insertBridgeSchema(dir.resolve("bridge.db"), bridgeRows, true);
    Duration bridgeIncidents = insertBridgeSchema(dir.resolve("bridge-incidents.db"), bridgeRows, false);
    return List.of(
        BenchResult.raw(BATCH, "SQLite WAL + synchronous=FULL, " + PER_TRANSACTION + " incident rows per transaction",
            batchRows, "rows", batched),
        BenchResult.raw(ROW, "SQLite WAL + synchronous=FULL, one incident row per transaction", singleRows, "rows",
            single),
        BenchResult.raw(BRIDGE, "the agent bridge's own schema, one thread, no Java around it: per incident its"
            + " row (primary key + the three incident indexes) and its outbox row, " + BRIDGE_GROUP + " incidents"
            + " per transaction, the bridge's database settings (WAL + synchronous=FULL)", bridgeRows, "incidents",
            bridge),
        BenchResult.raw(BRIDGE + "-incident-only", "the same without the outbox row: the incident row alone",
            bridgeRows, "incidents", bridgeIncidents));
  }

  /**
   * The ceiling of the bridge's durable ingest on this machine: SQLite has one writer per database, and this is that
   * writer doing only the bridge's inserts on the bridge's own database ({@link AgentDatabase#open}: its schema and
   * its connection settings; the incident row with realistic values and a ~500-byte outbox envelope), in groups the
   * size group commit forms under load.
   */
  private static Duration insertBridgeSchema(Path file, int rows, boolean outbox) throws Exception {
    try (Connection c = AgentDatabase.open(file)) {
      c.setAutoCommit(false);
      SplittableRandom random = new SplittableRandom(7);
      byte[] envelope = new byte[516];
      java.util.Arrays.fill(envelope, (byte) 'x');
      long start = System.nanoTime();
      try (PreparedStatement incident = c.prepareStatement("INSERT INTO incidents (id, site_id, appliance_id,"
          + " host_id, incident_type, severity, check_type, drift_type, service_name, error, raw_data,"
          + " pattern_signature, status, suppressed, event_id, created_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
          PreparedStatement out = c.prepareStatement("INSERT INTO outbox (id, aggregatetype, aggregateid, type,"
              + " payload, created_at) VALUES (?,?,?,?,?,?)")) {
        for (int i = 0; i < rows; i++) {
          String type = BenchData.TYPES[i % BenchData.TYPES.length];
          String at = BenchData.detectedAt(i).toString();
          incident.setString(1, BenchData.incidentId(i));
          incident.setString(2, "bench-site");
          incident.setString(3, "bench-appliance");
          incident.setString(4, "ws-" + (i % 500));
          incident.setString(5, type);
          incident.setString(6, BenchData.SEVERITIES[i % BenchData.SEVERITIES.length]);
          incident.setString(7, type);
          incident.setString(8, "drift");
          incident.setString(9, "svc");
          incident.setString(10, "error " + (i % 40) + " at 10.0.0." + (i % 250));
          incident.setString(11, "{\"probe\":" + i + "}"); // what the bridge's ingest bench records (Load)
          incident.setString(12, BenchData.signature(i % 200));
          incident.setString(13, "open");
          incident.setInt(14, 0);
          incident.setString(15, new UUID(random.nextLong(), random.nextLong()).toString());
          incident.setString(16, at);
          incident.executeUpdate();
          if (outbox) {
            out.setString(1, new UUID(random.nextLong(), random.nextLong()).toString());
            out.setString(2, "incident-events");
            out.setString(3, "bench-site");
            out.setString(4, "incident.detected");
            out.setBytes(5, envelope);
            out.setString(6, at);
            out.executeUpdate();
          }
          if ((i + 1) % BRIDGE_GROUP == 0 || i == rows - 1) {
            c.commit();
          }
        }
      }
      return Duration.ofNanos(System.nanoTime() - start);
    }
  }

  private static Duration insert(Path file, int rows, int perTransaction) throws SQLException {
    try (Connection c = durable(file)) {
      try (Statement s = c.createStatement()) {
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

  /** A connection to {@code file} with the bridge's settings (WAL, synchronous=FULL, foreign keys), checked. */
  private static Connection durable(Path file) throws SQLException {
    Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
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
    } catch (SQLException | RuntimeException e) {
      c.close();
      throw e;
    }
    return c;
  }
}
