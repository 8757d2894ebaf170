package dev.ledger.cli.bench;

import dev.ledger.cli.Stack;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ledger bench}: this machine's raw limits, and the project's figures as fractions of them, measured in
 * one run on a fresh embedded Kafka and PostgreSQL (or external ones).
 */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    usageHelpAutoWidth = true,
    description = {
        "Measure this machine's raw limits and the project's figures as fractions of them, in one run.",
        "",
        "Raw limits: Kafka produce and consume, PostgreSQL COPY and INSERT, SQLite durable inserts. Starts a "
            + "fresh embedded Kafka and PostgreSQL in a scratch directory unless external ones are given. "
            + "Durability stays on throughout: acks=all, fsync=on, synchronous_commit=on, synchronous=FULL."
    })
public final class BenchCommand implements Callable<Integer> {
  @Option(names = "--scale", defaultValue = "1.0", paramLabel = "FACTOR",
      description = "Multiply every scenario's size (default: ${DEFAULT-VALUE}; 0.1 for a quick look).")
  double scale;

  @Option(names = "--only", split = ",", paramLabel = "SCENARIO",
      description = "Run only these scenarios (comma-separated): ${COMPLETION-CANDIDATES}.",
      completionCandidates = ScenarioNames.class)
  List<String> only;

  @Option(names = "--kafka-bootstrap", paramLabel = "HOST:PORT",
      description = "Measure this Kafka cluster instead of a fresh embedded broker.")
  String kafkaBootstrap;

  @Option(names = "--jdbc-url", paramLabel = "URL",
      description = "Measure this PostgreSQL instead of a fresh embedded one (a schema 'bench' is made and dropped).")
  String jdbcUrl;

  @Option(names = "--keep-data", paramLabel = "DIR",
      description = "Run the embedded Kafka and PostgreSQL in DIR and keep it afterwards (default: a scratch "
          + "directory, deleted), so that a rerun reuses data a scenario loaded (api-read's 10M incidents).")
  Path keepData;

  @Option(names = "--markdown", paramLabel = "FILE",
      description = "Also write the table as Markdown to FILE.")
  Path markdown;

  @Spec CommandSpec spec;

  /** Every scenario, raw limits first; later scenarios name the raw result they are a fraction of. */
  static List<BenchScenario> scenarios() {
    return List.of(new KafkaRawScenario(), new PostgresRawScenario(), new SqliteRawScenario(),
        new dev.ledger.cli.agent.AgentBridgeScenario(),
        new dev.ledger.cli.streams.PatternStatsBenchScenario(), new dev.ledger.cli.streams.EvidenceSealingBenchScenario(),
        new dev.ledger.cli.projections.ProjectorBenchScenario(), new dev.ledger.cli.audit.AuditVerifyBenchScenario(),
        new dev.ledger.cli.audit.AuditProofsBenchScenario(), new dev.ledger.cli.api.ApiReadBenchScenario(),
        new dev.ledger.cli.api.ApiFairnessBenchScenario());
  }

  static final class ScenarioNames extends ArrayList<String> {
    private static final long serialVersionUID = 1L;

    ScenarioNames() {
      scenarios().forEach(s -> add(s.name()));
    }
  }

  @Override
  public Integer call() throws Exception {
    if (!(scale > 0 && scale <= 100)) {
      throw new IllegalArgumentException("--scale must be above 0 and at most 100, got " + scale);
    }
    List<BenchScenario> chosen = choose();
    PrintWriter err = spec.commandLine().getErr();
    Path work = keepData != null ? Files.createDirectories(keepData) : Files.createTempDirectory("ledger-bench-");
    List<BenchResult> results = new ArrayList<>();
    // Ctrl-C (or kill) in the middle of a long scenario must not leave the embedded PostgreSQL running and gigabytes
    // of scratch data in the temporary directory: the same stop runs from a shutdown hook then.
    AtomicBoolean stopped = new AtomicBoolean();
    Stack[] started = new Stack[1];
    Runnable stop = () -> {
      if (stopped.compareAndSet(false, true)) {
        if (started[0] != null) {
          started[0].close();
        }
        if (keepData == null) {
          try {
            deleteTree(work);
          } catch (IOException e) {
            System.err.println("bench: could not delete " + work + ": " + e.getMessage());
          }
        }
      }
    };
    Thread hook = new Thread(stop, "ledger-bench-stop");
    Runtime.getRuntime().addShutdownHook(hook);
    try {
      Stack stack = Stack.scratch(work, kafkaBootstrap, jdbcUrl);
      started[0] = stack;
      BenchContext context = new BenchContext(stack.bootstrapServers(), stack.dataSource(), stack.jdbcUrl(), work,
          scale);
      for (BenchScenario scenario : chosen) {
        err.printf("bench: running %s (%s)...%n", scenario.name(), scenario.description());
        err.flush();
        for (BenchResult r : scenario.run(context)) {
          err.printf("bench:   %-18s %,12.0f %s/s%n", r.scenario(), r.perSecond(), r.unit());
          err.flush();
          results.add(r);
        }
      }
    } finally {
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException e) {
        // Already shutting down: the hook stops the stack, and stop() below does nothing twice.
      }
      stop.run();
    }
    String table = BenchReport.markdown(results, machine());
    PrintWriter out = spec.commandLine().getOut();
    out.println(table);
    out.flush();
    if (markdown != null) {
      Files.writeString(markdown, table);
    }
    return 0;
  }

  private List<BenchScenario> choose() {
    List<BenchScenario> all = scenarios();
    if (only == null || only.isEmpty()) {
      return all;
    }
    Map<String, BenchScenario> byName = new LinkedHashMap<>();
    all.forEach(s -> byName.put(s.name(), s));
    List<BenchScenario> chosen = new ArrayList<>();
    for (String name : only) {
      BenchScenario s = byName.get(name.trim());
      if (s == null) {
        throw new IllegalArgumentException("--only names an unknown scenario '" + name + "'; known: "
            + byName.keySet());
      }
      chosen.add(s);
    }
    return chosen;
  }

  private static String machine() {
    return Runtime.getRuntime().availableProcessors() + " cores, "
        + Runtime.getRuntime().maxMemory() / (1024 * 1024) + " MiB max heap, Java "
        + System.getProperty("java.version") + ", " + System.getProperty("os.name") + " "
        + System.getProperty("os.arch") + ", " + LocalDate.now();
  }

  private static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
