package dev.ledger.cli.agent;

import dev.ledger.bridge.Simulator;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ledger agent simulate}: realistic telemetry through real bridges into Kafka, until Ctrl-C. */
@Command(name = "simulate", mixinStandardHelpOptions = true,
    description = "Run simulated appliances (real bridges, real SQLite, real Kafka) producing incidents and evidence.")
final class SimulateCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(names = "--sites", defaultValue = "3", paramLabel = "N", description = "Sites (default: ${DEFAULT-VALUE}).")
  int sites;

  @Option(names = "--appliances-per-site", defaultValue = "2", paramLabel = "M",
      description = "Appliances per site (default: ${DEFAULT-VALUE}).")
  int appliances;

  @Option(names = "--rate", defaultValue = "20", paramLabel = "R",
      description = "Incidents per second over all appliances (default: ${DEFAULT-VALUE}).")
  double rate;

  @Option(names = "--kafka-bootstrap", defaultValue = "127.0.0.1:9092", paramLabel = "HOST:PORT[,...]",
      description = "The Kafka to relay to (default: ${DEFAULT-VALUE}).")
  String kafka;

  @Option(names = "--data-dir", defaultValue = "./data/simulator", paramLabel = "DIR",
      description = "Where the simulated appliances keep their databases (default: ${DEFAULT-VALUE}).")
  Path dataDir;

  @Option(names = "--duration", paramLabel = "SECONDS", description = "Stop after this long (default: until Ctrl-C).")
  Long seconds;

  @Override
  public Integer call() throws Exception {
    CountDownLatch stopped = new CountDownLatch(1);
    try (Simulator sim = Simulator.start(
        new Simulator.Settings(sites, appliances, rate, dataDir, kafka, System.nanoTime()))) {
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        stopped.countDown();
        sim.close();
      }, "simulator-stop"));
      var out = spec.commandLine().getOut();
      out.printf("simulating %d sites x %d appliances at %.0f incidents/s into %s (data in %s)%n", sites, appliances,
          rate, kafka, dataDir);
      out.flush();
      long end = seconds == null ? Long.MAX_VALUE : System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
      while (!stopped.await(5, TimeUnit.SECONDS) && System.nanoTime() < end) {
        out.println(sim.status());
        out.flush();
      }
      out.println(sim.status());
    }
    return 0;
  }
}
