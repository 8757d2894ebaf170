package dev.ledger.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Where the ledger's Kafka and PostgreSQL are: embedded under --data-dir by default, or external ones. */
final class StackOptions {
  @Option(names = "--data-dir", defaultValue = "./data", paramLabel = "DIR",
      description = "Where the embedded Kafka and PostgreSQL keep their data (default: ${DEFAULT-VALUE}).")
  Path dataDir;

  @Option(names = "--kafka-bootstrap", paramLabel = "HOST:PORT[,...]",
      description = "Use this Kafka cluster instead of starting the embedded broker.")
  String kafkaBootstrap;

  @Option(names = "--jdbc-url", paramLabel = "URL",
      description = "Use this PostgreSQL (jdbc:postgresql://host:port/db?user=...&password=...) instead of"
          + " starting the embedded one.")
  String jdbcUrl;

  @Option(names = "--kafka-port", defaultValue = "9092", paramLabel = "PORT",
      description = "Port of the embedded Kafka broker on 127.0.0.1 (default: ${DEFAULT-VALUE}; 0 picks a free one).")
  int kafkaPort;

  @Option(names = "--pg-port", defaultValue = "5432", paramLabel = "PORT",
      description = "Port of the embedded PostgreSQL on 127.0.0.1 (default: ${DEFAULT-VALUE}; 0 picks a free one).")
  int pgPort;

  void validate() {
    requirePort(kafkaPort, "--kafka-port");
    requirePort(pgPort, "--pg-port");
    if (jdbcUrl != null && !jdbcUrl.startsWith("jdbc:postgresql:")) {
      throw new IllegalArgumentException("--jdbc-url must start with jdbc:postgresql:, got " + jdbcUrl);
    }
    if (kafkaBootstrap != null && kafkaBootstrap.isBlank()) {
      throw new IllegalArgumentException("--kafka-bootstrap must name at least one host:port");
    }
  }

  static void requirePort(int port, String option) {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException(option + " must be between 0 and 65535, got " + port);
    }
  }
}
