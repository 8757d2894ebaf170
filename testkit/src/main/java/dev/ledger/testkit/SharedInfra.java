package dev.ledger.testkit;

import dev.ledger.embedded.EmbeddedKafka;
import dev.ledger.embedded.EmbeddedPostgresServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.postgresql.PostgreSQLContainer;

/**
 * One Kafka broker and one PostgreSQL per test JVM, started on first use and stopped when the JVM exits.
 *
 * <p>Which kind is chosen by the system property or environment variable {@code LEDGER_TEST_INFRA}:
 * {@code embedded} (an in-process KRaft broker and PostgreSQL from Maven-packaged binaries), {@code containers}
 * (Testcontainers, needs a Docker engine) or {@code auto}, the default: containers where a Docker engine answers,
 * embedded otherwise. Tests see only {@link KafkaEndpoint} and {@link PostgresEndpoint}, never which kind they got.
 */
public final class SharedInfra {
  private static final Logger LOG = LoggerFactory.getLogger(SharedInfra.class);
  private static final Duration START_TIMEOUT = Duration.ofSeconds(120);
  private static final String KAFKA_IMAGE = "apache/kafka:4.4.0";
  private static final String POSTGRES_IMAGE = "postgres:17-alpine";

  private static KafkaEndpoint kafka;
  private static PostgresEndpoint postgres;
  private static Path workDir;

  private SharedInfra() {}

  /** The shared broker, started on the first call. */
  public static synchronized KafkaEndpoint kafka() {
    if (kafka == null) {
      kafka = useContainers() ? startKafkaContainer() : startEmbeddedKafka();
    }
    return kafka;
  }

  /** The shared PostgreSQL server, started on the first call. */
  public static synchronized PostgresEndpoint postgres() {
    if (postgres == null) {
      postgres = useContainers() ? startPostgresContainer() : startEmbeddedPostgres();
    }
    return postgres;
  }

  /** {@code embedded} or {@code containers}: for log lines and reports, never for test logic. */
  public static String kind() {
    return useContainers() ? "containers" : "embedded";
  }

  private static boolean containers;
  private static boolean decided;

  private static synchronized boolean useContainers() {
    if (!decided) {
      String wanted = System.getProperty("LEDGER_TEST_INFRA", System.getenv().getOrDefault("LEDGER_TEST_INFRA", "auto"))
          .toLowerCase(Locale.ROOT);
      containers = switch (wanted) {
        case "embedded" -> false;
        case "containers" -> true;
        case "auto" -> dockerAnswers();
        default -> throw new IllegalArgumentException(
            "LEDGER_TEST_INFRA must be embedded, containers or auto, not " + wanted);
      };
      decided = true;
      LOG.info("integration tests use {} infrastructure (LEDGER_TEST_INFRA={})",
          containers ? "Testcontainers" : "embedded", wanted);
    }
    return containers;
  }

  private static boolean dockerAnswers() {
    try {
      return DockerClientFactory.instance().isDockerAvailable();
    } catch (RuntimeException | LinkageError e) {
      LOG.debug("no Docker engine", e);
      return false;
    }
  }

  private static synchronized Path workDir() {
    if (workDir == null) {
      try {
        workDir = Files.createTempDirectory("ledger-it-");
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return workDir;
  }

  private static KafkaEndpoint startEmbeddedKafka() {
    EmbeddedKafka broker = EmbeddedKafka.start(workDir().resolve("kafka"), 0, "(test)", START_TIMEOUT);
    Runtime.getRuntime().addShutdownHook(new Thread(broker::close, "shared-kafka-stop"));
    return new KafkaEndpoint(broker.bootstrapServers());
  }

  private static PostgresEndpoint startEmbeddedPostgres() {
    EmbeddedPostgresServer server = EmbeddedPostgresServer.start(workDir().resolve("postgres"),
        binariesDir(), 0, "(test)", "ledger_it", START_TIMEOUT);
    Runtime.getRuntime().addShutdownHook(new Thread(server::close, "shared-postgres-stop"));
    return new PostgresEndpoint("127.0.0.1", server.port(), "postgres", EmbeddedPostgresServer.USER, "");
  }

  /** Binaries are unpacked once per machine, not once per test JVM. */
  private static Path binariesDir() {
    return Path.of(System.getProperty("java.io.tmpdir"), "ledger-pg-binaries");
  }

  @SuppressWarnings("resource") // stopped by Ryuk when the JVM exits
  private static KafkaEndpoint startKafkaContainer() {
    KafkaContainer container = new KafkaContainer(KAFKA_IMAGE);
    container.start();
    return new KafkaEndpoint(container.getBootstrapServers());
  }

  @SuppressWarnings("resource") // stopped by Ryuk when the JVM exits
  private static PostgresEndpoint startPostgresContainer() {
    PostgreSQLContainer container = new PostgreSQLContainer(POSTGRES_IMAGE)
        .withCommand("postgres", "-c", "fsync=on", "-c", "synchronous_commit=on");
    container.start();
    return new PostgresEndpoint(container.getHost(), container.getMappedPort(5432), container.getDatabaseName(),
        container.getUsername(), container.getPassword());
  }
}
