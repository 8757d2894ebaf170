package dev.ledger.testkit;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * A running PostgreSQL server shared by the integration tests of one JVM: embedded or a container, tests cannot
 * tell. Each test class takes a database of its own with {@link #newDatabase(String)}.
 */
public final class PostgresEndpoint {
  private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]{0,62}");

  private final String host;
  private final int port;
  private final String adminDatabase;
  private final String user;
  private final String password;

  PostgresEndpoint(String host, int port, String adminDatabase, String user, String password) {
    this.host = host;
    this.port = port;
    this.adminDatabase = adminDatabase;
    this.user = user;
    this.password = password;
  }

  /** JDBC URL of the server's administrative database (without credentials). */
  public String jdbcUrl() {
    return jdbcUrl(adminDatabase);
  }

  public String jdbcUrl(String database) {
    return "jdbc:postgresql://" + host + ":" + port + "/" + database;
  }

  public String user() {
    return user;
  }

  public String password() {
    return password;
  }

  /** A data source for an existing database on this server. */
  public DataSource dataSource(String database) {
    PGSimpleDataSource ds = new PGSimpleDataSource();
    ds.setServerNames(new String[] {host});
    ds.setPortNumbers(new int[] {port});
    ds.setDatabaseName(database);
    ds.setUser(user);
    ds.setPassword(password);
    return ds;
  }

  /** Drops {@code name} if a previous run left it, creates it empty, and returns a data source for it. */
  public DataSource newDatabase(String name) {
    if (!NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("database name must match " + NAME + ": " + name);
    }
    try (Connection c = dataSource(adminDatabase).getConnection(); Statement s = c.createStatement()) {
      // Names are checked against NAME: CREATE DATABASE takes no bind parameters.
      s.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
      s.execute("CREATE DATABASE " + name);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot create test database " + name + ": " + e.getMessage(), e);
    }
    return dataSource(name);
  }
}
