package dev.ledger.embedded;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real PostgreSQL server started from the binaries packaged in Maven artifacts, listening on 127.0.0.1, with
 * its cluster in a data directory that survives a restart. Durability is on: {@code fsync},
 * {@code synchronous_commit} and {@code full_page_writes} (the packaging's defaults turn them off for tests).
 */
public final class EmbeddedPostgresServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedPostgresServer.class);
  private static final Pattern DATABASE_NAME = Pattern.compile("[a-z][a-z0-9_]{0,62}");
  public static final String USER = "postgres";

  private final EmbeddedPostgres postgres;
  private final String database;
  private final DirectoryLock lock;

  private EmbeddedPostgresServer(EmbeddedPostgres postgres, String database, DirectoryLock lock) {
    this.postgres = postgres;
    this.database = database;
    this.lock = lock;
  }

  /**
   * Starts PostgreSQL on {@code dataDir} (initialising the cluster only when the directory is new), unpacking
   * the binaries under {@code binariesDir}, and creates {@code database} if it does not exist.
   */
  public static EmbeddedPostgresServer start(
      Path dataDir, Path binariesDir, int port, String portOption, String database, Duration timeout) {
    requireDatabaseName(database);
    Path data = DataDirectory.prepare(dataDir, "--data-dir");
    Path binaries = DataDirectory.prepare(binariesDir, "--data-dir");
    Ports.requireFree(port, "PostgreSQL", portOption);
    DirectoryLock lock = DirectoryLock.acquire(data, "PostgreSQL", "--data-dir");
    long started = System.nanoTime();
    EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
        .setDataDirectory(data)
        .setCleanDataDirectory(false)
        .setOverrideWorkingDirectory(binaries.toFile())
        .setRegisterShutdownHook(false)
        .setPGStartupWait(timeout)
        // Bounds each connection's start-up, authentication included: a server that died during start-up once left
        // the readiness check reading its socket for ever (seen in a benchmark; no query is affected by this).
        .setConnectConfig("loginTimeout", String.valueOf(Math.max(1, timeout.toSeconds())))
        .setServerConfig("listen_addresses", "127.0.0.1")
        // Durability is not negotiable: the packaging turns these off for throwaway test databases.
        .setServerConfig("fsync", "on")
        .setServerConfig("synchronous_commit", "on")
        .setServerConfig("full_page_writes", "on")
        .setServerConfig("max_connections", "200")
        .setServerConfig("shared_buffers", "256MB")
        .setServerConfig("max_wal_size", "2GB")
        .setServerConfig("timezone", "UTC");
    if (port != 0) {
      builder.setPort(port);
    }
    EmbeddedPostgres postgres;
    try {
      postgres = builder.start();
    } catch (IOException | RuntimeException e) {
      lock.close();
      throw new InfrastructureException("PostgreSQL did not start from " + data + ": " + rootMessage(e), e);
    }
    EmbeddedPostgresServer server = new EmbeddedPostgresServer(postgres, database, lock);
    try {
      server.createDatabaseIfMissing(database);
      server.requireDurability();
    } catch (RuntimeException e) {
      server.close();
      throw e;
    }
    LOG.info("PostgreSQL up at 127.0.0.1:{} in {} ms (data dir {})", postgres.getPort(),
        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started), data);
    return server;
  }

  /** Creates an empty database when it does not exist yet; returns a data source for it. */
  public DataSource createDatabaseIfMissing(String name) {
    requireDatabaseName(name);
    try (Connection c = postgres.getPostgresDatabase().getConnection();
        PreparedStatement exists = c.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
      exists.setString(1, name);
      try (ResultSet rs = exists.executeQuery()) {
        if (!rs.next()) {
          try (Statement create = c.createStatement()) {
            // The name is checked against DATABASE_NAME above; CREATE DATABASE takes no bind parameters.
            create.execute("CREATE DATABASE " + name);
          }
        }
      }
    } catch (SQLException e) {
      throw new InfrastructureException("cannot create database " + name + ": " + e.getMessage(), e);
    }
    return postgres.getDatabase(USER, name);
  }

  private void requireDurability() {
    try (Connection c = dataSource().getConnection(); Statement s = c.createStatement()) {
      for (String setting : new String[] {"fsync", "synchronous_commit", "full_page_writes"}) {
        try (ResultSet rs = s.executeQuery("SHOW " + setting)) {
          rs.next();
          if (!"on".equals(rs.getString(1))) {
            throw new InfrastructureException("PostgreSQL started with " + setting + "=" + rs.getString(1)
                + "; the ledger refuses to run without durable commits");
          }
        }
      }
    } catch (SQLException e) {
      throw new InfrastructureException("cannot read PostgreSQL settings: " + e.getMessage(), e);
    }
  }

  private static void requireDatabaseName(String name) {
    if (!DATABASE_NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("database name must match " + DATABASE_NAME + ": " + name);
    }
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null) {
      t = t.getCause();
    }
    return t.getMessage();
  }

  public int port() {
    return postgres.getPort();
  }

  public String database() {
    return database;
  }

  /** JDBC URL of the ledger database, including the user (the server trusts loopback connections). */
  public String jdbcUrl() {
    return jdbcUrl(database);
  }

  public String jdbcUrl(String databaseName) {
    return "jdbc:postgresql://127.0.0.1:" + port() + "/" + databaseName + "?user=" + USER;
  }

  /** The same database as a libpq URL, for {@code psql <url>}. */
  public String libpqUrl() {
    return "postgresql://" + USER + "@127.0.0.1:" + port() + "/" + database;
  }

  public DataSource dataSource() {
    return postgres.getDatabase(USER, database);
  }

  @Override
  public void close() {
    long started = System.nanoTime();
    try {
      postgres.close();
    } catch (IOException e) {
      LOG.warn("PostgreSQL did not stop cleanly", e);
    }
    lock.close();
    LOG.info("PostgreSQL stopped in {} ms", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
  }
}
