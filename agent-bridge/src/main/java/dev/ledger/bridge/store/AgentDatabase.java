package dev.ledger.bridge.store;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Opens the agent's SQLite database: {@code journal_mode=WAL}, {@code synchronous=FULL}, {@code foreign_keys=ON},
 * and the schema created if it is missing (every statement is idempotent, so an existing database opens as it is).
 * Refuses to run if SQLite does not accept the durability settings.
 */
public final class AgentDatabase {
  /** SQLite's value of {@code PRAGMA synchronous} for FULL. */
  private static final int SYNCHRONOUS_FULL = 2;
  private static final String SCHEMA = "schema.sql";

  private AgentDatabase() {
  }

  /** A new connection to the database file, creating the file and its schema when needed. */
  public static Connection open(Path file) throws SQLException {
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
    } catch (IOException e) {
      throw new SQLException("cannot create the directory of " + file + ": " + e.getMessage(), e);
    }
    // No generated keys: the driver would run "SELECT last_insert_rowid()" after every INSERT (twice the cost of a
    // small insert), and no caller reads them.
    Connection c = DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath() + "?jdbc.get_generated_keys=false");
    try (Statement s = c.createStatement()) {
      s.execute("PRAGMA busy_timeout=10000");
      s.execute("PRAGMA journal_mode=WAL");
      s.execute("PRAGMA synchronous=FULL");
      s.execute("PRAGMA foreign_keys=ON");
      // 16 MiB of page cache (native memory, not Java heap): the incident indexes take random inserts.
      s.execute("PRAGMA cache_size=-16384");
      requirePragma(s, "journal_mode", "wal");
      requirePragma(s, "synchronous", String.valueOf(SYNCHRONOUS_FULL));
      requirePragma(s, "foreign_keys", "1");
      createSchema(c);
      return c;
    } catch (SQLException | RuntimeException e) {
      c.close();
      throw e;
    }
  }

  private static void createSchema(Connection c) throws SQLException {
    boolean auto = c.getAutoCommit();
    c.setAutoCommit(false);
    try (Statement s = c.createStatement()) {
      for (String statement : schemaStatements()) {
        s.execute(statement);
      }
      c.commit();
    } catch (SQLException e) {
      c.rollback();
      throw e;
    } finally {
      c.setAutoCommit(auto);
    }
  }

  static String[] schemaStatements() {
    try (InputStream in = AgentDatabase.class.getResourceAsStream(SCHEMA)) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + SCHEMA);
      }
      String text = new String(in.readAllBytes(), StandardCharsets.UTF_8).replaceAll("(?m)--.*$", "");
      return java.util.Arrays.stream(text.split(";")).map(String::strip).filter(s -> !s.isEmpty())
          .toArray(String[]::new);
    } catch (IOException e) {
      throw new IllegalStateException("cannot read " + SCHEMA, e);
    }
  }

  private static void requirePragma(Statement s, String pragma, String expected) throws SQLException {
    try (ResultSet rs = s.executeQuery("PRAGMA " + pragma)) {
      String actual = rs.next() ? rs.getString(1) : null;
      if (!expected.equalsIgnoreCase(actual)) {
        throw new SQLException("SQLite refused " + pragma + "=" + expected + " (it is " + actual + ")");
      }
    }
  }
}
