package dev.ledger.projector.tables;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ledger.migrations.Migrations;
import dev.ledger.testkit.SharedInfra;
import java.io.File;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;

/**
 * kill -9 of a real projector process, again and again while 200,000 events arrive; the tables it leaves must
 * equal, table by table, what one clean replay of the same topics builds.
 */
class ExactlyOnceFaultIT {
  private static final int ROUNDS = 21;
  private static final int EVENTS_PER_ROUND = 9_600;
  private static final Duration WAIT = Duration.ofMinutes(3);

  @Test
  void killedTwentyOneTimesTheTablesEqualACleanReplay() throws Exception {
    try (Infra infra = Infra.create("fault_kill", 3)) {
      Workload workload = new Workload(infra.topics, 40);
      Random random = new Random();
      int kills = 0;
      int midRun = 0;
      for (int round = 0; round < ROUNDS; round++) {
        Process child = start(infra, round);
        long before = Progress.stored(infra.jdbi);
        workload.produce(infra.producer(), EVENTS_PER_ROUND);
        Infra.await("the child to project something", WAIT, () -> Progress.stored(infra.jdbi) > before);
        Thread.sleep(random.nextInt(400)); // a random point of the run, not a wait for a result
        if (!Progress.caughtUp(infra.jdbi, infra.topics)) {
          midRun++;
        }
        child.destroyForcibly(); // SIGKILL
        assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
        kills++;
      }
      Process last = start(infra, ROUNDS);
      try {
        Infra.await("the last child to catch up", WAIT, () -> Progress.caughtUp(infra.jdbi, infra.topics));
      } finally {
        last.destroyForcibly();
        last.waitFor(30, TimeUnit.SECONDS);
      }
      Map<String, String> afterKills = Progress.checksums(infra.jdbi);

      DataSource clean = SharedInfra.postgres().newDatabase(infra.name + "_clean");
      Migrations.apply(clean);
      Jdbi cleanJdbi = Jdbi.create(clean);
      ProjectorSettings settings = ProjectorSettings.defaults(SharedInfra.kafka().bootstrapServers(), clean)
          .withTopics(infra.topics).withGroupPrefix(infra.name + "-clean");
      try (Projectors replay = Projectors.start(settings)) {
        Infra.await("the clean replay", WAIT, () -> Progress.caughtUp(cleanJdbi, infra.topics));
      }
      System.out.printf("fault test: %d kills, %d while behind; tables %s%n", kills, midRun, afterKills);
      assertThat(kills).isGreaterThanOrEqualTo(20);
      assertThat(midRun).isGreaterThanOrEqualTo(1);
      assertThat(afterKills.get("incidents")).doesNotStartWith("0:");
      assertThat(afterKills.get("evidence_bundles")).doesNotStartWith("0:");
      assertThat(afterKills).isEqualTo(Progress.checksums(cleanJdbi));
    }
  }

  private static Process start(Infra infra, int round) throws Exception {
    // A new consumer group per process: positions live in PostgreSQL, and a killed member of an old group would
    // hold its partitions until its session times out.
    List<String> command = ProjectorChild.command(infra, infra.name + "-run" + round);
    return new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(new File("target/" + infra.name + "-child.log"))).start();
  }
}
