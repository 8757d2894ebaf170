package dev.ledger.bridge;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ledger.testkit.Await;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The simulator drives real bridges: flapping hosts get suppressed, the recurring pattern becomes eligible. */
class SimulatorIT {
  @TempDir Path dir;

  @Test
  void producesFlapsPromotionsEvidenceAndRelaysThem() throws Exception {
    try (Simulator sim = Simulator.start(new Simulator.Settings(1, 2, 200, dir, Broker.bootstrap(), 42))) {
      Path db = dir.resolve("sim-site-1-app-1").resolve("agent.db");
      Await.until("a flap suppression", Duration.ofSeconds(90),
          () -> Db.count(db, "SELECT count(*) FROM flap_suppressions") > 0);
      Await.until("a promotion-eligible pattern", Duration.ofSeconds(90),
          () -> Db.count(db, "SELECT count(*) FROM pattern_stats WHERE promotion_eligible = 1") > 0);
      Await.until("evidence relayed", Duration.ofSeconds(90),
          () -> Db.count(db, "SELECT coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'queued_evidence'), 0)") > 0
              && Db.count(db, "SELECT count(*) FROM queued_evidence") == 0);
      assertThat(sim.status()).contains("appliances");
      assertThat(sim.healthy()).isTrue();
    }
  }
}
