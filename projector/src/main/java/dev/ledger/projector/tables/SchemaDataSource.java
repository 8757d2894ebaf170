package dev.ledger.projector.tables;

import java.io.PrintWriter;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Statement;
import java.util.logging.Logger;
import java.util.regex.Pattern;
import javax.sql.DataSource;

/**
 * A data source whose connections resolve table names in one schema first ({@code search_path}), and reset it
 * when closed, so that it also works over a connection pool. Projectors write a blue/green copy of the tables
 * through it, and benchmarks their own scratch copy.
 */
public final class SchemaDataSource implements DataSource {
  private static final Pattern NAME = Pattern.compile("[a-z_][a-z0-9_]{0,62}");
  private final DataSource delegate;
  private final String schema;

  public SchemaDataSource(DataSource delegate, String schema) {
    if (!NAME.matcher(schema).matches()) {
      throw new IllegalArgumentException("schema name must match " + NAME + ": " + schema);
    }
    this.delegate = delegate;
    this.schema = schema;
  }

  public String schema() {
    return schema;
  }

  @Override
  public Connection getConnection() throws SQLException {
    return inSchema(delegate.getConnection());
  }

  @Override
  public Connection getConnection(String username, String password) throws SQLException {
    return inSchema(delegate.getConnection(username, password));
  }

  private Connection inSchema(Connection connection) throws SQLException {
    try (Statement s = connection.createStatement()) {
      s.execute("SET search_path TO " + schema); // checked against NAME: SET takes no bind parameters
    }
    return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[] {Connection.class},
        (proxy, method, args) -> {
          if (method.getName().equals("close") && !connection.isClosed()) {
            try (Statement s = connection.createStatement()) {
              if (!connection.getAutoCommit()) {
                connection.rollback();
              }
              s.execute("RESET search_path");
            } catch (SQLException e) {
              // the connection is broken; closing it is all that is left
            }
          }
          try {
            return method.invoke(connection, args);
          } catch (InvocationTargetException e) {
            throw e.getCause();
          }
        });
  }

  @Override
  public PrintWriter getLogWriter() throws SQLException {
    return delegate.getLogWriter();
  }

  @Override
  public void setLogWriter(PrintWriter out) throws SQLException {
    delegate.setLogWriter(out);
  }

  @Override
  public void setLoginTimeout(int seconds) throws SQLException {
    delegate.setLoginTimeout(seconds);
  }

  @Override
  public int getLoginTimeout() throws SQLException {
    return delegate.getLoginTimeout();
  }

  @Override
  public Logger getParentLogger() throws SQLFeatureNotSupportedException {
    return delegate.getParentLogger();
  }

  @Override
  public <T> T unwrap(Class<T> iface) throws SQLException {
    return delegate.unwrap(iface);
  }

  @Override
  public boolean isWrapperFor(Class<?> iface) throws SQLException {
    return delegate.isWrapperFor(iface);
  }
}
