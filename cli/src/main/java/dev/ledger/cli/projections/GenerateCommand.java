package dev.ledger.cli.projections;

import dev.ledger.projector.tables.ProjectorTopics;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ledger projections generate}: the projector benchmark's incident events, sent to a Kafka cluster's incident
 * topic, to measure a rebuild of many events. For benchmarks only: the events belong to no registered site.
 */
@Command(
    name = "generate",
    mixinStandardHelpOptions = true,
    usageHelpAutoWidth = true,
    description = {
        "Send the projector benchmark's incident events (70%% detected, 30%% resolved, 200 sites) to the incident",
        "topic, to benchmark 'ledger projections rebuild'. Benchmark data only: never point it at a real ledger."
    })
public final class GenerateCommand implements Callable<Integer> {
  @Option(names = "--kafka-bootstrap", required = true, paramLabel = "HOST:PORT", description = "Kafka to write to.")
  String kafkaBootstrap;

  @Option(names = "--events", required = true, paramLabel = "N", description = "How many events to send.")
  int events;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    if (events < 1) {
      throw new IllegalArgumentException("--events must be at least 1, was " + events);
    }
    long start = System.nanoTime();
    ProjectorBenchScenario.produce(kafkaBootstrap, ProjectorTopics.defaults(), events);
    Duration took = Duration.ofNanos(System.nanoTime() - start);
    spec.commandLine().getOut().printf("sent %,d incident events in %.1f s (%,.0f events/s)%n", events,
        took.toMillis() / 1000.0, events / (took.toNanos() / 1e9));
    return 0;
  }
}
