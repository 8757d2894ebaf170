package dev.ledger.cli.agent;

import dev.ledger.bridge.AgentBridge;
import dev.ledger.bridge.BridgeConfig;
import dev.ledger.bridge.Load;
import java.nio.file.Path;

/**
 * The footprint benchmark's child process (run with {@code -Xmx64m}): a bridge with its relay, fed incidents paced
 * to a rate; prints {@code RESULT incidents elapsed_nanos p50_micros p99_micros outbox_left heap_used_bytes}.
 * Args: dataDir bootstrapServers ratePerSecond incidents.
 */
public final class FootprintProbe {
  private FootprintProbe() {
  }

  public static void main(String[] args) throws Exception {
    BridgeConfig config = BridgeConfig.of("footprint-site", "footprint-app", Path.of(args[0]), args[1])
        .withHttpPort(-1);
    try (AgentBridge bridge = AgentBridge.start(config)) {
      Load.Result r = Load.run(bridge, Integer.parseInt(args[3]), 4, 64, Double.parseDouble(args[2]));
      Runtime rt = Runtime.getRuntime();
      System.out.printf("RESULT %d %d %d %d %d %d%n", r.incidents(), r.elapsedNanos(), r.p50Micros(), r.p99Micros(),
          bridge.queueStatus().outbox(), rt.totalMemory() - rt.freeMemory());
    }
  }
}
