package dev.ledger.projector.tables;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ledger.migrations.Migrations;
import dev.ledger.testkit.SharedInfra;
import java.time.Instant;
import java.util.List;
import javax.sql.DataSource;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;

/** The read side of the projections: the pending-orders plan and the compliance score formula. */
class ReadQueriesIT {
  private static final Instant NOW = Instant.parse("2026-11-28T12:00:00Z");

  @Test
  void pendingOrdersQueryUsesThePartialIndex() {
    Jdbi jdbi = migrated("read_orders_plan");
    jdbi.useHandle(h -> {
      // 40,000 orders of 200 appliances, 1 in 100 still pending: the history the index is meant to skip.
      h.execute("""
          INSERT INTO orders (order_id, site_id, appliance_id, order_type, status, issued_by, issued_at,
            expires_at, completed_at)
          SELECT 'ord-' || g, 's' || (g % 20), 'a' || (g % 200), 'run_runbook',
            CASE WHEN g % 100 = 0 THEN 'pending' ELSE 'completed' END, 'alice',
            timestamptz '2026-11-01' + g * interval '1 minute', timestamptz '2026-12-01' + g * interval '1 minute',
            CASE WHEN g % 100 = 0 THEN NULL ELSE timestamptz '2026-11-02' END
          FROM generate_series(1, 40000) g""");
      h.execute("ANALYZE orders");
      List<String> plan = h.createQuery("EXPLAIN " + PendingOrders.SQL)
          .bind(0, "a0").bind(1, NOW.toString()).mapTo(String.class).list();
      assertThat(String.join("\n", plan)).contains("orders_pending_idx");
      assertThat(PendingOrders.of(h, "a0", NOW)).hasSize(200)
          .isSortedAccordingTo((x, y) -> x.expiresAt().compareTo(y.expiresAt()));
    });
  }

  @Test
  void scoreTakesTheLatestResultPerCheckAndHostWithinThirtyDays() {
    Jdbi jdbi = migrated("read_score");
    jdbi.useHandle(h -> {
      insert(h, "s1", "encryption", "h1", NOW.minusSeconds(40L * 86400), "pass"); // outside the window
      insert(h, "s1", "encryption", "h1", NOW.minusSeconds(10L * 86400), "fail");
      insert(h, "s1", "encryption", "h1", NOW.minusSeconds(86400), "pass");     // latest for (encryption, h1)
      insert(h, "s1", "encryption", "h2", NOW.minusSeconds(86400), "fail");
      insert(h, "s1", "backup", "h1", NOW.minusSeconds(2L * 86400), "warn");
      insert(h, "s1", "backup", "h2", NOW.minusSeconds(3L * 86400), "pass");
      insert(h, "s2", "backup", "h1", NOW.minusSeconds(31L * 86400), "pass");   // s2 has only old data
      ComplianceScore s1 = ComplianceScore.of(h, "s1", NOW);
      assertThat(s1.passed()).isEqualTo(2);
      assertThat(s1.total()).isEqualTo(4);
      assertThat(s1.display()).isEqualTo("50.0%");
      ComplianceScore s2 = ComplianceScore.of(h, "s2", NOW);
      assertThat(s2.total()).isZero();
      assertThat(s2.display()).isEqualTo("no data");
      assertThat(ComplianceScore.of(h, "nowhere", NOW).percent()).isEmpty();
    });
  }

  private static void insert(org.jdbi.v3.core.Handle h, String site, String check, String host, Instant at,
      String status) {
    h.createUpdate("INSERT INTO compliance_snapshots (site_id, check_type, hostname, checked_at, status) "
        + "VALUES (?, ?, ?, ?, ?)").bind(0, site).bind(1, check).bind(2, host).bind(3, at).bind(4, status)
        .execute();
  }

  private static Jdbi migrated(String name) {
    DataSource ds = SharedInfra.postgres().newDatabase(name);
    Migrations.apply(ds);
    return Jdbi.create(ds);
  }
}
