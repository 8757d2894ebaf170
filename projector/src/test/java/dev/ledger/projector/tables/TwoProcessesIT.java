package dev.ledger.projector.tables;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Two projector processes in one consumer group share the partitions and never both apply a record. */
class TwoProcessesIT {
  private static final Duration WAIT = Duration.ofMinutes(3);

  @Test
  void twoProcessesSplitThePartitionsWithoutDoubleWriting() throws Exception {
    try (Infra infra = Infra.create("two_procs", 6)) {
      Workload workload = new Workload(infra.topics, 60);
      workload.produce(infra.producer(), 10_000);
      List<Process> children = new ArrayList<>();
      List<Path> logs = new ArrayList<>();
      try {
        for (int i = 0; i < 2; i++) {
          Path log = Path.of("target", infra.name + "-child-" + i + ".log");
          logs.add(log);
          children.add(new ProcessBuilder(ProjectorChild.command(infra, infra.name, "report"))
              .redirectErrorStream(true).redirectOutput(log.toFile()).start());
        }
        workload.produce(infra.producer(), 20_000); // arrives while the group forms and rebalances
        long total = Progress.recordsToApply(infra.topics);
        Infra.await("both processes caught up", WAIT, () -> Progress.caughtUp(infra.jdbi, infra.topics));
        // Every record is handled by exactly one of them: were one applied twice, the sum would exceed the total.
        Infra.await("both reported", WAIT, () -> lastCount(logs.get(0)) + lastCount(logs.get(1)) >= total);
        assertThat(lastCount(logs.get(0))).isPositive();
        assertThat(lastCount(logs.get(1))).isPositive();
        assertThat(lastCount(logs.get(0)) + lastCount(logs.get(1))).isEqualTo(total);
      } finally {
        for (Process p : children) {
          p.destroyForcibly();
          p.waitFor(30, TimeUnit.SECONDS);
        }
      }
    }
  }

  private static long lastCount(Path log) {
    try {
      List<String> lines = Files.exists(log) ? Files.readAllLines(log) : List.of();
      for (int i = lines.size() - 1; i >= 0; i--) {
        if (lines.get(i).matches("\\d+")) {
          return Long.parseLong(lines.get(i));
        }
      }
      return 0;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
