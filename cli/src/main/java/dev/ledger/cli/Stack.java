package dev.ledger.cli;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.ledger.embedded.DataDirectory;
import dev.ledger.embedded.EmbeddedKafka;
import dev.ledger.embedded.EmbeddedPostgresServer;
import dev.ledger.embedded.InfrastructureException;
import dev.ledger.embedded.Ports;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Kafka cluster and PostgreSQL database a command works against, embedded or external, plus everything
 * started on top of them; closed in reverse order of start. External ones are checked within seconds so that a
 * wrong address is a clear message, never a hang.
 */
public final class Stack implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Stack.class);
  public static final Duration REACH_TIMEOUT = Duration.ofSeconds(15);
  private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

  private final Deque<AutoCloseable> closeables = new ArrayDeque<>();
  private String bootstrapServers;
  private String jdbcUrl;
  private String libpqUrl;
  private HikariDataSource dataSource;
  private Admin admin;
  private boolean embeddedKafka;
  private boolean embeddedPostgres;

  /**
   * A throwaway stack for measurements: embedded servers on free ports under {@code workDir}, unless external
   * ones are named.
   */
  public static Stack scratch(java.nio.file.Path workDir, String kafkaBootstrap, String jdbcUrl) {
    StackOptions options = new StackOptions();
    options.dataDir = workDir;
    options.kafkaPort = 0;
    options.pgPort = 0;
    options.kafkaBootstrap = kafkaBootstrap;
    options.jdbcUrl = jdbcUrl;
    return open(options);
  }

  /** Starts (or reaches) Kafka and PostgreSQL in parallel; on failure stops whatever did start. */
  static Stack open(StackOptions options) {
    options.validate();
    Stack stack = new Stack();
    try {
      if (options.kafkaBootstrap == null || options.jdbcUrl == null) {
        DataDirectory.prepare(options.dataDir, "--data-dir");
      }
      if (options.kafkaBootstrap == null) {
        Ports.requireFree(options.kafkaPort, "Kafka", "--kafka-port");
      }
      if (options.jdbcUrl == null) {
        Ports.requireFree(options.pgPort, "PostgreSQL", "--pg-port");
      }
      CompletableFuture<Void> kafka = CompletableFuture.runAsync(() -> stack.startKafka(options));
      CompletableFuture<Void> postgres = CompletableFuture.runAsync(() -> stack.startPostgres(options));
      join(kafka);
      join(postgres);
      return stack;
    } catch (RuntimeException e) {
      stack.close();
      throw e;
    }
  }

  private static void join(CompletableFuture<Void> future) {
    try {
      future.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException cause) {
        throw cause;
      }
      throw e;
    }
  }

  private void startKafka(StackOptions options) {
    if (options.kafkaBootstrap == null) {
      EmbeddedKafka kafka = EmbeddedKafka.start(
          options.dataDir.resolve("kafka"), options.kafkaPort, "--kafka-port", START_TIMEOUT);
      register(kafka);
      bootstrapServers = kafka.bootstrapServers();
      embeddedKafka = true;
    } else {
      bootstrapServers = options.kafkaBootstrap;
    }
    admin = reachKafka(bootstrapServers);
    register(admin);
  }

  private void startPostgres(StackOptions options) {
    if (options.jdbcUrl == null) {
      EmbeddedPostgresServer pg = EmbeddedPostgresServer.start(options.dataDir.resolve("postgres"),
          options.dataDir.resolve("postgres-binaries"), options.pgPort, "--pg-port", "ledger", START_TIMEOUT);
      register(pg);
      jdbcUrl = pg.jdbcUrl();
      libpqUrl = pg.libpqUrl();
      embeddedPostgres = true;
    } else {
      jdbcUrl = options.jdbcUrl;
      libpqUrl = null;
    }
    dataSource = pool(jdbcUrl);
    register(dataSource);
  }

  private synchronized void register(AutoCloseable closeable) {
    closeables.push(closeable);
  }

  /** Registers something started on top of the stack, to be closed before the stack itself. */
  synchronized <T extends AutoCloseable> T onTop(T closeable) {
    closeables.push(closeable);
    return closeable;
  }

  /** An admin client of a cluster that answered within {@link #REACH_TIMEOUT}, or a clear failure. */
  public static Admin reachKafka(String bootstrapServers) {
    Admin admin;
    try {
      admin = Admin.create(Map.of(
          AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
          // Fail a wrong address in seconds rather than the client's default minute.
          AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000,
          AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) REACH_TIMEOUT.toMillis()));
    } catch (RuntimeException e) {
      throw new InfrastructureException("Kafka at " + bootstrapServers + " cannot be used: " + e.getMessage(), e);
    }
    try {
      int brokers = admin.describeCluster().nodes().get(REACH_TIMEOUT.toSeconds(), TimeUnit.SECONDS).size();
      LOG.info("Kafka at {} answers with {} broker(s)", bootstrapServers, brokers);
      return admin;
    } catch (Exception e) {
      admin.close(Duration.ZERO);
      throw new InfrastructureException("Kafka at " + bootstrapServers + " did not answer within "
          + REACH_TIMEOUT.toSeconds() + " s; check --kafka-bootstrap and that the brokers are up", e);
    }
  }

  static HikariDataSource pool(String jdbcUrl) {
    return pool(jdbcUrl, null);
  }

  /**
   * The pool that {@code ledger dev} serves the API from; with {@code currentSchema}, its connections resolve
   * tables in that schema first (a startup parameter: no extra round trip per checkout).
   */
  public static HikariDataSource pool(String jdbcUrl, String currentSchema) {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(jdbcUrl);
    if (currentSchema != null) {
      config.addDataSourceProperty("currentSchema", currentSchema);
    }
    config.setPoolName("ledger");
    config.setMaximumPoolSize(16);
    config.setConnectionTimeout(REACH_TIMEOUT.toMillis());
    // Fail at start when the database cannot be reached, instead of at the first query.
    config.setInitializationFailTimeout(REACH_TIMEOUT.toMillis());
    config.addDataSourceProperty("connectTimeout", "5");
    config.addDataSourceProperty("loginTimeout", "10");
    config.addDataSourceProperty("ApplicationName", "ledger");
    try {
      return new HikariDataSource(config);
    } catch (RuntimeException e) {
      throw new InfrastructureException("PostgreSQL at " + redact(jdbcUrl) + " cannot be reached: "
          + rootMessage(e) + "; check --jdbc-url and that the server is up", e);
    }
  }

  /** The URL without its password, fit for logs and messages. */
  public static String redact(String jdbcUrl) {
    return jdbcUrl.replaceAll("(?i)(password=)[^&]*", "$1***");
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null) {
      t = t.getCause();
    }
    return t.getMessage();
  }

  public String bootstrapServers() {
    return bootstrapServers;
  }

  public String jdbcUrl() {
    return jdbcUrl;
  }

  /** A URL for psql, or null when the database is external (its URL is the user's own). */
  String libpqUrl() {
    return libpqUrl;
  }

  public HikariDataSource dataSource() {
    return dataSource;
  }

  Admin admin() {
    return admin;
  }

  boolean embeddedKafka() {
    return embeddedKafka;
  }

  boolean embeddedPostgres() {
    return embeddedPostgres;
  }

  @Override
  public synchronized void close() {
    while (!closeables.isEmpty()) {
      AutoCloseable c = closeables.pop();
      try {
        c.close();
      } catch (Exception e) {
        LOG.warn("could not stop {} cleanly", c.getClass().getSimpleName(), e);
      }
    }
  }
}
