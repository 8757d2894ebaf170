package dev.ledger.projector.tables;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ledger.migrations.Migrations;
import dev.ledger.testkit.SharedInfra;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import javax.sql.DataSource;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;

/**
 * The fast path folds a batch into multi-row statements; the naive path applies one event at a time. Over the
 * same topics, with different batch sizes, both must build the same tables.
 */
class ModesAgreeIT {
  private static final Duration WAIT = Duration.ofMinutes(3);
  private static final String RESOLVED_BY_CHECKS = "incidents resolved by a check";

  @Test
  void batchAndNaiveModesBuildTheSameTables() {
    try (Infra infra = Infra.create("modes", 3)) {
      new Workload(infra.topics, 25).produce(infra.producer(), 5_000);
      Map<String, String> batch = project(infra, WriteMode.BATCH, 5_000, "batch");

      Map<String, String> small = project(infra, WriteMode.BATCH, 50, "small");
      Map<String, String> naive = project(infra, WriteMode.NAIVE, 500, "naive");
      assertThat(batch.get("incidents")).doesNotStartWith("0:");
      assertThat(batch.get("evidence_log_nodes")).doesNotStartWith("0:");
      // The workload's passing checks resolve some incidents: the rule that crosses two topics is compared too.
      assertThat(batch.get(RESOLVED_BY_CHECKS)).isNotEqualTo("0");
      assertThat(batch).isEqualTo(naive);
      assertThat(small).isEqualTo(naive);
    }
  }

  private static Map<String, String> project(Infra infra, WriteMode mode, int maxPoll, String name) {
    DataSource ds = SharedInfra.postgres().newDatabase(infra.name + "_" + name);
    Migrations.apply(ds);
    Jdbi jdbi = Jdbi.create(ds);
    ProjectorSettings settings = infra.settings().withDataSource(ds).withGroupPrefix(infra.name + "-" + name)
        .withMode(mode).withMaxPollRecords(maxPoll);
    try (Projectors projectors = Projectors.start(settings)) {
      Infra.await(name + " caught up", WAIT, () -> Progress.caughtUp(jdbi, infra.topics));
    }
    Map<String, String> tables = new TreeMap<>(Progress.checksums(jdbi));
    tables.put(RESOLVED_BY_CHECKS, jdbi.withHandle(h -> h.createQuery(
        "SELECT count(*)::text FROM incidents WHERE resolved_by_bundle IS NOT NULL").mapTo(String.class).one()));
    return tables;
  }
}
