package dev.ledger.cli.agent;

import dev.ledger.bridge.AgentBridge;
import dev.ledger.bridge.BridgeConfig;
import dev.ledger.bridge.Load;
import dev.ledger.cli.bench.BenchContext;
import dev.ledger.cli.bench.BenchResult;
import dev.ledger.cli.bench.BenchScenario;
import dev.ledger.events.kafka.TopicAdmin;
import dev.ledger.events.kafka.Topics;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

/**
 * The agent bridge's figures: durable ingest by group commit from many concurrent callers (vs raw batched SQLite),
 * the same with one commit per incident (vs raw one-row SQLite), and the relay's drain of the outbox to the run's
 * broker (vs raw Kafka produce).
 */
public final class AgentBridgeScenario implements BenchScenario {
  private static final int INCIDENTS = 300_000;
  private static final int ROW_INCIDENTS = 4_000;
  private static final int CALLERS = 8;
  private static final int WARMUP = 50_000;
  private static final int FOOTPRINT_RATE = 10_000;
  private static final int FOOTPRINT_INCIDENTS = 300_000;
  private static final int WINDOW = 64;
  private static final double PACED_RATE = 10_000;
  private static final int PACED_INCIDENTS = 100_000;

  @Override
  public String name() {
    return "agent-bridge";
  }

  @Override
  public String description() {
    return "agent bridge: durable group-commit ingest, one-commit-per-incident ingest, relay drain to Kafka";
  }

  @Override
  public List<BenchResult> run(BenchContext context) throws Exception {
    Path dir = context.workDir().resolve("agent-bridge");
    int incidents = context.count(INCIDENTS);
    Load.Result grouped;
    try (AgentBridge bridge = AgentBridge.start(config(dir.resolve("warmup"), null, BridgeConfig.DEFAULT_MAX_GROUP))) {
      Load.run(bridge, Math.min(incidents, WARMUP), CALLERS, WINDOW, 0); // JIT warm-up, not measured
    }
    try (AgentBridge bridge = AgentBridge.start(config(dir.resolve("grouped"), null, BridgeConfig.DEFAULT_MAX_GROUP))) {
      grouped = Load.run(bridge, incidents, CALLERS, WINDOW, 0);
    }
    Load.Result paced;
    try (AgentBridge bridge = AgentBridge.start(config(dir.resolve("paced"), null, BridgeConfig.DEFAULT_MAX_GROUP))) {
      paced = Load.run(bridge, context.count(PACED_INCIDENTS), CALLERS, WINDOW, PACED_RATE);
    }
    Load.Result single;
    try (AgentBridge bridge = AgentBridge.start(config(dir.resolve("single"), null, 1))) {
      single = Load.run(bridge, context.count(ROW_INCIDENTS), CALLERS, WINDOW, 0);
    }
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, context.bootstrapServers()))) {
      TopicAdmin.ensureTopics(admin, Topics.all(), Duration.ofSeconds(60));
    }
    drain(dir.resolve("warmup"), context); // JIT warm-up and producer metadata, not measured
    long start = System.nanoTime();
    long relayed = drain(dir.resolve("grouped"), context);
    Duration relay = Duration.ofNanos(System.nanoTime() - start);
    String[] probe = footprint(dir.resolve("footprint"), context);
    return List.of(
        new BenchResult("agent-ingest", "incidents durably recorded (group commit, WAL + synchronous=FULL, incident +"
            + " outbox row + pattern stats, after a warm-up), " + CALLERS + " threads x " + WINDOW
            + " callers in flight", grouped.incidents(), "incidents", Duration.ofNanos(grouped.elapsedNanos()),
            "sqlite-batch", grouped.p50Micros(), grouped.p99Micros()),
        new BenchResult("agent-ingest-paced", "the same offered at " + (int) PACED_RATE + " incidents/s (below"
            + " saturation): the latency group commit adds", paced.incidents(), "incidents",
            Duration.ofNanos(paced.elapsedNanos()), "sqlite-batch", paced.p50Micros(), paced.p99Micros()),
        new BenchResult("agent-ingest-row", "the same with one commit per incident", single.incidents(), "incidents",
            Duration.ofNanos(single.elapsedNanos()), "sqlite-row", single.p50Micros(), single.p99Micros()),
        new BenchResult("agent-relay", "outbox drained to Kafka (idempotent, acks=all, batch-signed 32 envelopes"
            + " a signature, after a warm-up drain), rows deleted after ack",
            relayed, "events", relay, "kafka-produce", null, null),
        new BenchResult("agent-64m", "bridge with relay in a -Xmx64m JVM, offered " + FOOTPRINT_RATE
            + " incidents/s (paced); " + probe[5] + " outbox rows left unrelayed at the end, heap used "
            + Long.parseLong(probe[6]) / (1024 * 1024) + " MiB", Long.parseLong(probe[1]), "incidents",
            Duration.ofNanos(Long.parseLong(probe[2])), "sqlite-batch", Long.parseLong(probe[3]),
            Long.parseLong(probe[4])));
  }

  /** Starts a bridge with the relay on the bridge in {@code dir} and waits until its outbox is empty. */
  private static long drain(Path dir, BenchContext context) throws InterruptedException {
    try (AgentBridge bridge = AgentBridge.start(config(dir, context.bootstrapServers(), BridgeConfig.DEFAULT_MAX_GROUP))) {
      long waiting = bridge.queueStatus().outbox();
      while (!bridge.outboxEmpty()) { // not queueStatus(): counting the outbox every 20 ms took CPU from the relay
        Thread.sleep(20);
      }
      return waiting;
    }
  }

  /** Runs {@link FootprintProbe} in a child JVM with -Xmx64m; returns its RESULT line's fields. */
  private static String[] footprint(Path dir, BenchContext context) throws Exception {
    String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process p = new ProcessBuilder(javaBin, "-Xmx64m", "-cp", System.getProperty("java.class.path"),
        FootprintProbe.class.getName(), dir.toString(), context.bootstrapServers(), String.valueOf(FOOTPRINT_RATE),
        String.valueOf(context.count(FOOTPRINT_INCIDENTS))).redirectErrorStream(true).start();
    String result = null;
    try (var in = new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream(),
        java.nio.charset.StandardCharsets.UTF_8))) {
      for (String line; (line = in.readLine()) != null; ) {
        if (line.startsWith("RESULT ")) {
          result = line;
        }
      }
    }
    if (p.waitFor() != 0 || result == null) {
      throw new IllegalStateException("the -Xmx64m bridge failed (exit " + p.exitValue() + ")");
    }
    return result.split(" ");
  }

  private static BridgeConfig config(Path dir, String bootstrap, int maxGroup) {
    return new BridgeConfig("bench-site", "bench-appliance", "bench-host", dir, bootstrap, -1, 10_000, 10,
        Duration.ofMinutes(1), maxGroup, Clock.systemUTC());
  }
}
