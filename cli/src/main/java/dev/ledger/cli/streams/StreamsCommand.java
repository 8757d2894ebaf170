package dev.ledger.cli.streams;

import dev.ledger.cli.Stack;
import dev.ledger.embedded.InfrastructureException;
import dev.ledger.projector.streams.LedgerStreams;
import dev.ledger.projector.streams.StreamsSettings;
import dev.ledger.projector.streams.StreamsTopics;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ledger streams}: runs one instance of the Kafka Streams app against a running Kafka until stopped.
 * Instances with the same application id share the partitions; start several for scale-out.
 */
@Command(
    name = "streams",
    mixinStandardHelpOptions = true,
    description = {
        "Run the Kafka Streams app: per-site and fleet-wide pattern stats, promotion eligibility, fleet-wide flap",
        "suppression counts, and the sealed evidence chain of every site, exactly once. Bad records go to the",
        "dead-letter topic with the reason in headers. Run it several times with the same --application-id to",
        "share the work; stop it with Ctrl-C (or SIGTERM)."
    })
public final class StreamsCommand implements Callable<Integer> {

  @Option(names = "--kafka-bootstrap", defaultValue = "127.0.0.1:9092", paramLabel = "HOST:PORT[,...]",
      description = "The Kafka cluster, for example the one 'ledger dev' started (default: ${DEFAULT-VALUE}).")
  String bootstrap;

  @Option(names = "--data-dir", defaultValue = "./data", paramLabel = "DIR",
      description = "State stores live under DIR/streams/<instance> (default: ${DEFAULT-VALUE}).")
  Path dataDir;

  @Option(names = "--instance", defaultValue = "0", paramLabel = "NAME",
      description = "Name of this instance's state directory, distinct per instance on one machine"
          + " (default: ${DEFAULT-VALUE}).")
  String instance;

  @Option(names = "--application-id", defaultValue = StreamsSettings.APPLICATION_ID, paramLabel = "ID",
      description = "Consumer group and internal-topic prefix; instances with one id share the work"
          + " (default: ${DEFAULT-VALUE}).")
  String applicationId;

  @Option(names = "--topic-prefix", defaultValue = "", paramLabel = "PREFIX",
      description = "Prefix every topic name (for tests and side-by-side runs; default: none).")
  String topicPrefix;

  @Option(names = "--threads", defaultValue = "1", paramLabel = "N",
      description = "Stream threads of this instance (default: ${DEFAULT-VALUE}).")
  int threads;

  @Option(names = "--replication-factor", defaultValue = "1", paramLabel = "N",
      description = "Replication factor of the internal topics; 1 on a one-broker cluster (default: ${DEFAULT-VALUE}).")
  int replicationFactor;

  @Option(names = "--session-timeout-ms", defaultValue = "45000", paramLabel = "MS",
      description = "How long the group waits for a silent instance (killed, cut off) before its partitions move"
          + " to the others; at least 6000 (default: ${DEFAULT-VALUE}).")
  long sessionTimeoutMs;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    if (!instance.matches("[A-Za-z0-9._-]+")) {
      throw new IllegalArgumentException("--instance must be letters, digits, '.', '_' or '-': " + instance);
    }
    StreamsTopics topics = topicPrefix.isEmpty() ? StreamsTopics.catalogue() : StreamsTopics.prefixed(topicPrefix);
    StreamsSettings settings = new StreamsSettings(applicationId, bootstrap,
        dataDir.resolve("streams").resolve(instance), topics, StreamsSettings.Rules.DEFAULT, threads,
        replicationFactor, Duration.ofMillis(sessionTimeoutMs));
    Stack.reachKafka(bootstrap).close();
    PrintWriter out = spec.commandLine().getOut();
    CountDownLatch stopped = new CountDownLatch(1);
    AtomicBoolean stopping = new AtomicBoolean();
    try (LedgerStreams app = LedgerStreams.start(settings)) {
      Thread hook = new Thread(() -> {
        stopping.set(true);
        app.close();
        stopped.countDown();
      }, "streams-stop");
      Runtime.getRuntime().addShutdownHook(hook);
      if (!app.awaitRunning(Duration.ofMinutes(2))) {
        throw new InfrastructureException("the streams app did not start: " + app.status());
      }
      out.println("streams running: " + app.status());
      out.flush();
      while (!stopped.await(1, TimeUnit.SECONDS)) {
        if (!stopping.get() && !app.healthy() && !app.awaitRunning(Duration.ofSeconds(30))) {
          throw new InfrastructureException("the streams app stopped: " + app.status());
        }
      }
    }
    return 0;
  }
}
