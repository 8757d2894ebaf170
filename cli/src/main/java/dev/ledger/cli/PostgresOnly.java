package dev.ledger.cli;

import com.zaxxer.hikari.HikariDataSource;
import dev.ledger.embedded.EmbeddedPostgresServer;
import dev.ledger.embedded.Ports;
import java.time.Duration;

/** The embedded PostgreSQL alone, for commands that do not need Kafka. */
final class PostgresOnly implements AutoCloseable {
  private final EmbeddedPostgresServer server;
  private final HikariDataSource dataSource;

  private PostgresOnly(EmbeddedPostgresServer server, HikariDataSource dataSource) {
    this.server = server;
    this.dataSource = dataSource;
  }

  static PostgresOnly open(StackOptions options) {
    Ports.requireFree(options.pgPort, "PostgreSQL", "--pg-port");
    EmbeddedPostgresServer server = EmbeddedPostgresServer.start(options.dataDir.resolve("postgres"),
        options.dataDir.resolve("postgres-binaries"), options.pgPort, "--pg-port", "ledger", Duration.ofSeconds(60));
    try {
      return new PostgresOnly(server, Stack.pool(server.jdbcUrl()));
    } catch (RuntimeException e) {
      server.close();
      throw e;
    }
  }

  HikariDataSource dataSource() {
    return dataSource;
  }

  String jdbcUrl() {
    return server.jdbcUrl();
  }

  @Override
  public void close() {
    dataSource.close();
    server.close();
  }
}
