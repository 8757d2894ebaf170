package dev.ledger.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ledger.api.auth.Caller;
import dev.ledger.api.db.ReadStore;
import dev.ledger.migrations.Migrations;
import dev.ledger.testkit.SharedInfra;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The second wall, on its own: as {@code ledger_api_reader}, a query with no tenant filter at all sees only the
 * scope in the settings, and none without them. The owner (projectors, migrations) still sees and writes every row.
 */
class RowLevelSecurityIT {
  private static final List<String> TENANT_TABLES = List.of("partners", "client_orgs", "sites", "appliances",
      "incidents", "pattern_stats", "flap_suppressions", "evidence_bundles", "compliance_snapshots", "orders",
      "cve_fleet_matches");
  private static ApiFixture f;

  @BeforeAll
  static void start() throws Exception {
    f = new ApiFixture("api_rls_it");
  }

  @AfterAll
  static void stop() {
    f.close();
  }

  @Test
  void withoutTheSettingsTheReaderSeesNoRowOfAnyTenantTable() throws Exception {
    for (String table : TENANT_TABLES) {
      assertThat(countAsReader("", "SELECT count(*) FROM " + table)).as(table).isZero();
      assertThat(countAsOwner("SELECT count(*) FROM " + table)).as(table).isPositive();
    }
  }

  @Test
  void aSettingReset_toEmptyStillFailsClosed() throws Exception {
    String scope = "SELECT set_config('ledger.partner_id', '', true), set_config('ledger.site_id', '', true), "
        + "set_config('ledger.admin', '', true);";
    assertThat(countAsReader(scope, "SELECT count(*) FROM incidents")).isZero();
    assertThat(countAsReader(scope, "SELECT count(*) FROM pattern_stats")).isZero(); // fleet rows carry site ''
  }

  @Test
  void aQueryThatForgotItsWhereClauseSeesOnlyTheCallersTenant() throws Exception {
    String p1 = "SELECT set_config('ledger.partner_id', 'p1', true);";
    assertThat(countAsReader(p1, "SELECT count(*) FROM incidents")).isEqualTo(120);
    assertThat(countAsReader(p1, "SELECT count(*) FROM incidents WHERE site_id = 's2'")).isZero();
    assertThat(countAsReader(p1, "SELECT count(*) FROM sites")).isEqualTo(2);
    assertThat(countAsReader(p1, "SELECT count(*) FROM partners")).isEqualTo(1);
    assertThat(countAsReader(p1, "SELECT count(*) FROM pattern_stats")).isEqualTo(1);
    String a2 = "SELECT set_config('ledger.site_id', 's2', true);";
    assertThat(countAsReader(a2, "SELECT count(*) FROM orders")).isEqualTo(1);
    assertThat(countAsReader(a2, "SELECT count(*) FROM incidents")).isEqualTo(40);
    String admin = "SELECT set_config('ledger.admin', 'on', true);";
    assertThat(countAsReader(admin, "SELECT count(*) FROM pattern_stats")).isEqualTo(3);
  }

  @Test
  void aReadOfOneSiteInOneRoundTripIsScopedAsATransactionIs() {
    // The pipelined scope, site lookup and query of ReadStore.readSite: a query with no tenant filter at all still
    // sees only the caller's rows, and another tenant's site is not found.
    ReadStore store = new ReadStore(f.dataSource, Duration.ofSeconds(10));
    String everyIncident = "SELECT incident_id FROM incidents";
    ReadStore.SiteRows<String> own = store.readSite(Caller.partner("p1", "k"), "s1", everyIncident, q -> q,
        String.class);
    assertThat(own.site()).isNotNull();
    assertThat(own.site().partnerId()).isEqualTo("p1");
    assertThat(own.rows()).hasSize(120);
    ReadStore.SiteRows<String> other = store.readSite(Caller.partner("p1", "k"), "s2", everyIncident, q -> q,
        String.class);
    assertThat(other.site()).as("another partner's site, hidden by row-level security").isNull();
    assertThat(other.rows()).as("the query does not even run for a site the scope hides").isEmpty();
    ReadStore.SiteRows<String> appliance = store.readSite(Caller.appliance("a2", "s2", "k"), "s2", everyIncident,
        q -> q, String.class);
    assertThat(appliance.site().siteId()).isEqualTo("s2");
    assertThat(appliance.rows()).hasSize(40);
  }

  @Test
  void theSettingsOfAOneRoundTripReadEndWithIt() throws Exception {
    // One physical connection under the store: what the next user of that pooled connection would find.
    try (Connection c = f.dataSource.getConnection()) {
      DataSource single = (DataSource) Proxy.newProxyInstance(getClass().getClassLoader(),
          new Class<?>[] {DataSource.class}, (proxy, method, args) -> {
            if (!method.getName().equals("getConnection")) {
              throw new UnsupportedOperationException(method.getName());
            }
            return Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Connection.class},
                (p, m, a) -> m.getName().equals("close") ? null : m.invoke(c, a));
          });
      ReadStore store = new ReadStore(single, Duration.ofSeconds(10));
      assertThat(store.readSite(Caller.partner("p1", "k"), "s1", "SELECT incident_id FROM incidents", q -> q,
          String.class).rows()).hasSize(120);
      try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
          "SELECT current_user, coalesce(current_setting('ledger.partner_id', true), ''), count(*) FROM incidents")) {
        rs.next();
        assertThat(rs.getString(1)).as("the role").isNotEqualTo("ledger_api_reader");
        assertThat(rs.getString(2)).as("the partner setting").isEmpty();
        assertThat(rs.getLong(3)).as("the owner sees every tenant again").isGreaterThan(120);
      }
    }
  }

  @Test
  void theReaderCannotWriteNorReadTheKeys() throws Exception {
    assertThat(errorAsReader("UPDATE incidents SET status = 'open'")).contains("permission denied");
    assertThat(errorAsReader("SELECT count(*) FROM ledger_auth.api_keys")).contains("permission denied");
    assertThat(errorAsReader("SELECT count(*) FROM projector_offsets")).contains("permission denied");
  }

  @Test
  void theOwnerStillWritesEveryTenantsRows() throws Exception {
    try (Connection c = f.dataSource.getConnection(); Statement s = c.createStatement()) {
      assertThat(s.executeUpdate("UPDATE flap_suppressions SET heal_count = heal_count WHERE TRUE")).isEqualTo(2);
    }
  }

  @Test
  void theIncidentPageUsesItsIndexUnderRowLevelSecurity() throws Exception {
    DataSource db = SharedInfra.postgres().newDatabase("api_rls_plan");
    Migrations.apply(db);
    try (Connection c = db.getConnection(); Statement s = c.createStatement()) {
      s.execute("""
          INSERT INTO sites SELECT 's' || g, 'p' || (g % 10), 'o' || g, 'Site', 'UTC', '2026-01-01Z'
          FROM generate_series(1, 200) g;
          INSERT INTO incidents (incident_id, site_id, hostname, incident_type, detected_at, last_event_id)
          SELECT 'INC-20261128110000' || lpad(g::text, 6, '0') || '0001', 's' || (g % 200 + 1), 'h', 'patching',
                 timestamptz '2026-11-28' - g * interval '1 second', gen_random_uuid()
          FROM generate_series(1, 100000) g;
          ANALYZE sites; ANALYZE incidents;""");
      c.setAutoCommit(false);
      s.execute("SELECT set_config('role', 'ledger_api_reader', true), set_config('ledger.partner_id', 'p1', true)");
      List<String> plan = new ArrayList<>();
      try (ResultSet rs = s.executeQuery("""
          EXPLAIN SELECT incident_id FROM incidents WHERE site_id = 's1'
          AND (detected_at, incident_id) < (timestamptz '2026-11-27T23:00:00Z', 'INC-x')
          ORDER BY detected_at DESC, incident_id DESC LIMIT 50""")) {
        while (rs.next()) {
          plan.add(rs.getString(1));
        }
      }
      assertThat(String.join("\n", plan)).contains("incidents_site_detected_idx").doesNotContain("Sort");
      // The API's one-round-trip reads guard the query (ReadStore.siteGuarded): for another partner's site it is
      // never started, so the 404 takes the time of a missing site and reads none of that site's rows.
      String page = "SELECT incident_id FROM incidents WHERE site_id = :site ORDER BY detected_at DESC, "
          + "incident_id DESC LIMIT 50";
      assertThat(explainAnalyze(s, ReadStore.siteGuarded(page).replace(":site", "'s2'")))
          .contains("One-Time Filter")
          .containsPattern("Index (Only )?Scan using incidents_site_detected_idx .*never executed");
      assertThat(explainAnalyze(s, ReadStore.siteGuarded(page).replace(":site", "'s1'")))
          .contains("One-Time Filter")
          .containsPattern("Index (Only )?Scan using incidents_site_detected_idx .*rows=50 loops=1");
      c.rollback();
    }
  }

  private static String explainAnalyze(Statement s, String sql) throws SQLException {
    List<String> plan = new ArrayList<>();
    try (ResultSet rs = s.executeQuery("EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY OFF) " + sql)) {
      while (rs.next()) {
        plan.add(rs.getString(1));
      }
    }
    return String.join("\n", plan);
  }

  private static long countAsReader(String scope, String sql) throws SQLException {
    try (Connection c = f.dataSource.getConnection(); Statement s = c.createStatement()) {
      c.setAutoCommit(false);
      try {
        s.execute("SET LOCAL ROLE ledger_api_reader;" + scope);
        try (ResultSet rs = s.executeQuery(sql)) {
          rs.next();
          return rs.getLong(1);
        }
      } finally {
        c.rollback();
      }
    }
  }

  private static String errorAsReader(String sql) throws SQLException {
    try (Connection c = f.dataSource.getConnection(); Statement s = c.createStatement()) {
      c.setAutoCommit(false);
      try {
        s.execute("SET LOCAL ROLE ledger_api_reader; SELECT set_config('ledger.admin', 'on', true)");
        s.execute(sql);
        return "no error";
      } catch (SQLException e) {
        return e.getMessage();
      } finally {
        c.rollback();
      }
    }
  }

  private static long countAsOwner(String sql) throws SQLException {
    try (Connection c = f.dataSource.getConnection(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
