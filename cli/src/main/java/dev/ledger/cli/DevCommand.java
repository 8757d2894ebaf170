package dev.ledger.cli;

import dev.ledger.api.ApiConfig;
import dev.ledger.api.ApiServer;
import dev.ledger.api.audit.AuditRoutes;
import dev.ledger.api.audit.Checkpointer;
import dev.ledger.api.commands.Commands;
import dev.ledger.api.health.ComponentHealth;
import dev.ledger.api.health.HealthRegistry;
import dev.ledger.bridge.Simulator;
import dev.ledger.projector.streams.LedgerStreams;
import dev.ledger.projector.streams.StreamsSettings;
import dev.ledger.projector.tables.ProjectorSettings;
import dev.ledger.projector.tables.Projectors;
import dev.ledger.api.health.KafkaHealth;
import dev.ledger.api.health.PostgresHealth;
import dev.ledger.embedded.Ports;
import dev.ledger.events.EventSerde;
import dev.ledger.events.kafka.TopicAdmin;
import dev.ledger.events.kafka.TopicSpec;
import dev.ledger.events.kafka.Topics;
import dev.ledger.events.merkle.EvidenceLog;
import dev.ledger.events.merkle.LedgerKey;
import dev.ledger.migrations.Migrations;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code ledger dev}: the whole system on one machine, on loopback, until Ctrl-C. */
@Command(
    name = "dev",
    mixinStandardHelpOptions = true,
    usageHelpAutoWidth = true,
    description = {
        "Start the whole ledger on this machine, on loopback, until Ctrl-C.",
        "",
        "A real Kafka broker (KRaft, in-process), a real PostgreSQL (from Maven-packaged binaries, fsync on), the "
            + "schema migrations, the topics and the API. Data stays under --data-dir, so stopping and starting "
            + "again keeps everything. With --kafka-bootstrap and/or --jdbc-url it uses external ones instead of "
            + "the embedded ones."
    })
final class DevCommand implements Callable<Integer> {
  private static final Logger LOG = LoggerFactory.getLogger(DevCommand.class);
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);

  @Mixin StackOptions stackOptions;

  @Option(names = "--api-port", defaultValue = "8080", paramLabel = "PORT",
      description = "Port of the HTTP API on 127.0.0.1 (default: ${DEFAULT-VALUE}; 0 picks a free one).")
  int apiPort;

  @Option(names = "--api-max-reads", paramLabel = "N",
      description = "Reads (GET) the API runs at once; more wait their turn without a thread, and one that waited "
          + "past the read timeout (10 s) is answered 503 (default: 2 per core + 2, here "
          + "${DEFAULT-VALUE}). Commands are never held back by reads.")
  int apiMaxReads = ApiConfig.defaultConcurrentReads();

  @Option(names = "--api-fair-reads", negatable = true, defaultValue = "true", fallbackValue = "true",
      description = "Waiting reads take turns round their callers (partners, appliances), so one tenant's backlog "
          + "does not hold up the others (the default). --no-api-fair-reads: in arrival order, which gives callers "
          + "with equal loads a shorter tail.")
  boolean apiFairReads = true;

  @Option(names = "--simulate",
      description = "Also run simulated appliances (real agent bridges and SQLite files under DIR/simulator) that "
          + "stream incidents and evidence into the ledger, so you can watch data flow.")
  boolean simulate;

  @Option(names = "--simulate-sites", defaultValue = "3", paramLabel = "N",
      description = "Sites the simulator runs (default: ${DEFAULT-VALUE}).")
  int simulateSites;

  @Option(names = "--simulate-appliances", defaultValue = "2", paramLabel = "M",
      description = "Appliances per simulated site (default: ${DEFAULT-VALUE}).")
  int simulateAppliances;

  @Option(names = "--simulate-rate", defaultValue = "20", paramLabel = "R",
      description = "Simulated incidents per second over all appliances (default: ${DEFAULT-VALUE}).")
  double simulateRate;

  @Option(names = "--exit-after-start", hidden = true,
      description = "Start, print the addresses, then stop (for tests and scripts).")
  boolean exitAfterStart;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    StackOptions.requirePort(apiPort, "--api-port");
    if (apiMaxReads < 1) {
      throw new IllegalArgumentException("--api-max-reads must be at least 1, got " + apiMaxReads);
    }
    Ports.requireFree(apiPort, "The API", "--api-port");
    long started = System.nanoTime();
    Stack stack = Stack.open(stackOptions);
    CountDownLatch stopped = new CountDownLatch(1);
    Thread hook = new Thread(() -> {
      LOG.info("stopping");
      Thread closer = new Thread(stack::close, "ledger-dev-close");
      closer.start();
      try {
        closer.join(STOP_TIMEOUT.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      if (closer.isAlive()) {
        // A component hung in its shutdown; exiting beats an unkillable Ctrl-C. Data is safe: Kafka and
        // PostgreSQL recover from their logs on the next start.
        LOG.error("not stopped within {} s; forcing exit", STOP_TIMEOUT.toSeconds());
        Runtime.getRuntime().halt(ExitCodes.INTERNAL);
      }
      stopped.countDown();
    }, "ledger-dev-stop");
    Runtime.getRuntime().addShutdownHook(hook);
    try {
      Migrations.apply(stack.dataSource());
      Set<String> created = TopicAdmin.ensureTopics(stack.admin(), Topics.all(), Stack.REACH_TIMEOUT);
      LOG.info("{} topic(s) in the catalogue, {} created now", Topics.all().size(), created.size());
      for (String difference : TopicAdmin.configDifferences(stack.admin(), Topics.all(), Stack.REACH_TIMEOUT)) {
        LOG.warn("topic differs from the catalogue (fix it with kafka-configs): {}", difference);
      }
      HealthRegistry health = stack.onTop(new HealthRegistry(Duration.ofSeconds(5)));
      List<String> topicNames = Topics.all().stream().map(TopicSpec::name).toList();
      health.register("kafka", new KafkaHealth(stack.admin(), stack.bootstrapServers(), topicNames));
      health.register("postgres", new PostgresHealth(stack.dataSource(), Stack.redact(stack.jdbcUrl())));
      LedgerStreams streams = stack.onTop(LedgerStreams.start(
          StreamsSettings.defaults(stack.bootstrapServers(), stackOptions.dataDir.resolve("streams"))));
      health.register("streams", () -> component(streams.healthy(), streams.status()));
      Projectors projectors = stack.onTop(
          Projectors.start(ProjectorSettings.defaults(stack.bootstrapServers(), stack.dataSource())));
      health.register("projectors", () -> projectors.healthy()
          ? ComponentHealth.up(projectors.status(),
              Map.of("lag", projectors.lag(), "dead_letters", projectors.deadLetterCount()))
          : ComponentHealth.down(projectors.status()));
      if (simulate) {
        Simulator simulator = stack.onTop(Simulator.start(new Simulator.Settings(simulateSites, simulateAppliances,
            simulateRate, stackOptions.dataDir.resolve("simulator"), stack.bootstrapServers(), System.nanoTime())));
        health.register("simulator", () -> component(simulator.healthy(), simulator.status()));
      }
      // Commands publish to Kafka and sweep expired orders; closed after the API (the stack closes in reverse).
      Commands commands = stack.onTop(Commands.start(Commands.Settings.defaults(stack.bootstrapServers())));
      // Signs checkpoints of the evidence logs every minute (and on demand); the key is made in the data dir.
      LedgerKey ledgerKey = LedgerKey.loadOrCreate(stackOptions.dataDir.resolve(LedgerKey.DIRECTORY),
          EvidenceLog.DEFAULT_LEDGER_NAME);
      Checkpointer checkpointer = stack.onTop(new Checkpointer(stack.dataSource(), stack.bootstrapServers(),
          Topics.EVIDENCE_CHECKPOINTS.name(), ledgerKey, Clock.systemUTC()).every(Duration.ofMinutes(1)));
      ApiServer api = stack.onTop(ApiServer.start("127.0.0.1", apiPort, health, EventSerde.mapper(),
          ApiConfig.of(stack.dataSource()).withMaxConcurrentReads(apiMaxReads).withFairReads(apiFairReads)
              .withModules(List.of(commands, new AuditRoutes(checkpointer)))));
      printAddresses(stack, api, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
    } catch (RuntimeException e) {
      Runtime.getRuntime().removeShutdownHook(hook);
      stack.close();
      throw e;
    }
    if (exitAfterStart) {
      Runtime.getRuntime().removeShutdownHook(hook);
      stack.close();
      return ExitCodes.OK;
    }
    stopped.await();
    return ExitCodes.OK;
  }

  private static ComponentHealth component(boolean healthy, String status) {
    return healthy ? ComponentHealth.up(status, Map.of()) : ComponentHealth.down(status);
  }

  private void printAddresses(Stack stack, ApiServer api, long startMillis) {
    PrintWriter out = spec.commandLine().getOut();
    String apiUrl = "http://127.0.0.1:" + api.port();
    out.println();
    out.printf("ledger is up in %.1f s%n", startMillis / 1000.0);
    out.printf("  Kafka bootstrap : %s%s%n", stack.bootstrapServers(), stack.embeddedKafka() ? "  (embedded, KRaft)" : "");
    out.printf("  PostgreSQL JDBC : %s%n", Stack.redact(stack.jdbcUrl()));
    if (stack.libpqUrl() != null) {
      out.printf("  psql            : psql %s%n", stack.libpqUrl());
    }
    out.printf("  API             : %s   (try: curl %s/health)%n", apiUrl, apiUrl);
    out.printf("  kcat            : kcat -L -b %s%n", stack.bootstrapServers());
    out.printf("  API key         : ./ledger partners create --name \"Acme IT\" --kafka-bootstrap %s"
        + " --jdbc-url '%s'   (prints the key once)%n", stack.bootstrapServers(), Stack.redact(stack.jdbcUrl()));
    if (stack.embeddedKafka() || stack.embeddedPostgres()) {
      out.printf("  data            : %s%n", stackOptions.dataDir.toAbsolutePath().normalize());
    }
    out.println("Press Ctrl-C to stop.");
    out.flush();
  }
}
