package dev.ledger.cli.agent;

import dev.ledger.bridge.AgentBridge;
import dev.ledger.bridge.BridgeConfig;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ledger agent run}: one appliance's bridge against a Kafka, until Ctrl-C. */
@Command(name = "run", mixinStandardHelpOptions = true,
    description = "Run an agent bridge: the local SQLite database, the loopback HTTP API and the relay to Kafka.")
final class AgentRunCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(names = "--site", required = true, paramLabel = "SITE_ID", description = "The site this appliance is at.")
  String site;

  @Option(names = "--appliance", required = true, paramLabel = "APPLIANCE_ID", description = "This appliance's id.")
  String appliance;

  @Option(names = "--hostname", paramLabel = "NAME", description = "This appliance's host name (default: its id).")
  String hostname;

  @Option(names = "--data-dir", paramLabel = "DIR",
      description = "Where the agent database and key pair live (default: ./data/agent/<appliance>).")
  Path dataDir;

  @Option(names = "--kafka-bootstrap", defaultValue = "127.0.0.1:9092", paramLabel = "HOST:PORT[,...]",
      description = "The Kafka to relay to, e.g. the one 'ledger dev' printed (default: ${DEFAULT-VALUE}).")
  String kafka;

  @Option(names = "--http-port", defaultValue = "8787", paramLabel = "PORT",
      description = "Loopback port of the JSON API (default: ${DEFAULT-VALUE}; 0 picks one, -1 turns it off).")
  int httpPort;

  @Option(names = "--queue-capacity", defaultValue = "10000", paramLabel = "N",
      description = "Evidence bundles the offline queue holds before refusing (default: ${DEFAULT-VALUE}).")
  int capacity;

  @Option(names = "--retry-cap", defaultValue = "10", paramLabel = "N",
      description = "Attempts before an evidence bundle is parked as dead (default: ${DEFAULT-VALUE}).")
  int retryCap;

  @Override
  public Integer call() throws Exception {
    BridgeConfig config = new BridgeConfig(site, appliance, hostname == null ? appliance : hostname,
        dataDir == null ? Path.of("data", "agent", appliance) : dataDir, kafka, httpPort, capacity, retryCap,
        Duration.ofMinutes(1), BridgeConfig.DEFAULT_MAX_GROUP, Clock.systemUTC());
    CountDownLatch stopped = new CountDownLatch(1);
    try (AgentBridge bridge = AgentBridge.start(config)) {
      Thread hook = new Thread(() -> {
        bridge.close();
        stopped.countDown();
      }, "agent-bridge-stop");
      Runtime.getRuntime().addShutdownHook(hook);
      var out = spec.commandLine().getOut();
      out.printf("agent bridge running: site %s, appliance %s, data %s%n", site, appliance, config.dataDir());
      out.printf("  public key: %s%n", bridge.identity().publicKeyText());
      if (bridge.httpPort() > 0) {
        out.printf("  HTTP API:   http://127.0.0.1:%d/v1/incidents (POST), /v1/evidence, /v1/suppressions, /health%n",
            bridge.httpPort());
      }
      out.printf("  relaying to Kafka at %s. Ctrl-C stops.%n", kafka);
      out.flush();
      stopped.await();
    }
    return 0;
  }
}
