package dev.ledger.migrations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ledger.migrations.MigrationScripts.Script;
import dev.ledger.testkit.SharedInfra;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

/** The migrations against a real PostgreSQL, each test on a fresh database of its own. */
class MigrationsIT {
  private static final List<String> TABLES = List.of(
      "partners", "client_orgs", "sites", "appliances",
      "incidents", "pattern_stats", "flap_suppressions",
      "evidence_bundles", "compliance_snapshots", "evidence_submissions", "evidence_seals",
      "evidence_log_nodes", "evidence_log_heads", "evidence_log_checkpoints", "evidence_envelopes",
      "orders", "promotion_decisions",
      "cve_entries", "cve_fleet_matches", "cve_watch_config",
      "compliance_frameworks", "framework_controls", "control_check_mappings", "framework_sync_log",
      "projector_offsets", "projector_applied_events");

  private static final String LATEST_VERSION = String.valueOf(MigrationScripts.all().size());

  @Test
  void freshDatabaseGetsEveryTableWithAComment() throws SQLException {
    DataSource db = SharedInfra.postgres().newDatabase("migrations_it_fresh");
    assertThat(Migrations.currentVersion(db)).isNull();

    MigrationResult result = Migrations.apply(db);

    assertThat(result).isEqualTo(new MigrationResult(MigrationScripts.all().size(), LATEST_VERSION));
    assertThat(Migrations.currentVersion(db)).isEqualTo(LATEST_VERSION);
    assertThat(strings(db, """
        SELECT table_name FROM information_schema.tables
        WHERE table_schema = 'public' AND table_type = 'BASE TABLE' AND table_name <> 'flyway_schema_history'
        """)).containsExactlyInAnyOrderElementsOf(TABLES);
    assertThat(strings(db, """
        SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = 'public' AND c.relkind = 'r' AND c.relname <> 'flyway_schema_history'
          AND obj_description(c.oid, 'pg_class') IS NULL
        """)).as("tables without a comment").isEmpty();
  }

  @Test
  void applyingAgainAppliesNothingAndChangesNothing() throws SQLException {
    DataSource db = SharedInfra.postgres().newDatabase("migrations_it_again");
    Migrations.apply(db);
    List<String> before = schemaFingerprint(db);

    MigrationResult again = Migrations.apply(db);

    assertThat(again).isEqualTo(new MigrationResult(0, LATEST_VERSION));
    assertThat(schemaFingerprint(db)).containsExactlyElementsOf(before);
  }

  @Test
  void runningEveryScriptAgainByHandChangesNothing() throws SQLException {
    DataSource db = SharedInfra.postgres().newDatabase("migrations_it_by_hand");
    Migrations.apply(db);
    List<String> before = schemaFingerprint(db);

    try (Connection c = db.getConnection(); Statement s = c.createStatement()) {
      for (Script script : MigrationScripts.inVersionOrder()) {
        s.execute(script.sql());
      }
    }

    assertThat(schemaFingerprint(db)).containsExactlyElementsOf(before);
    assertThat(Migrations.apply(db)).isEqualTo(new MigrationResult(0, LATEST_VERSION));
  }

  @Test
  void pendingOrdersHaveAPartialIndex() throws SQLException {
    DataSource db = SharedInfra.postgres().newDatabase("migrations_it_orders");
    Migrations.apply(db);

    assertThat(strings(db, "SELECT indexdef FROM pg_indexes WHERE schemaname = 'public' AND tablename = 'orders'"))
        .anySatisfy(def -> assertThat(def)
            .contains("(appliance_id, expires_at)")
            .contains("WHERE (status = 'pending'::text)"));
  }

  @Test
  void evidenceChainLinksMustCommitToThePreviousLink() throws SQLException {
    DataSource db = SharedInfra.postgres().newDatabase("migrations_it_chain");
    Migrations.apply(db);
    String zeros = "0".repeat(64);
    String h1 = "a".repeat(64);
    try (Connection c = db.getConnection(); Statement s = c.createStatement()) {
      s.execute(TENANTS);
      s.execute(bundle("b1", 1, zeros, h1));

      assertThatThrownBy(() -> s.execute(bundle("b2", 2, "f".repeat(64), "b".repeat(64))))
          .hasMessageContaining("evidence_bundles_chain_fkey");
      assertThatThrownBy(() -> s.execute(bundle("b3", 3, h1, "c".repeat(64))))
          .hasMessageContaining("evidence_bundles_chain_fkey");
      assertThatThrownBy(() -> s.execute(bundle("b0", 1, h1, "d".repeat(64))))
          .hasMessageContaining("evidence_bundles_genesis_check");
      s.execute(bundle("b2", 2, h1, "b".repeat(64)));
    }
  }

  @Test
  void aFailingScriptIsNamedAndRolledBack() throws SQLException {
    DataSource db = SharedInfra.postgres().newDatabase("migrations_it_failing");
    Flyway.configure().dataSource(db).locations(Migrations.LOCATION).target("3").load().migrate();
    try (Connection c = db.getConnection(); Statement s = c.createStatement()) {
      // A table of that name but another shape: V4's CREATE TABLE IF NOT EXISTS keeps it, its index fails.
      s.execute("CREATE TABLE orders (order_id text PRIMARY KEY)");
    }

    assertThatThrownBy(() -> Migrations.apply(db))
        .isInstanceOf(MigrationException.class)
        .hasMessageContaining("V4__orders.sql");
    assertThat(Migrations.currentVersion(db)).isEqualTo("3");
  }

  @Test
  void onlySamePartitionParentsAreForeignKeysSoAnyReplayOrderIsAccepted() throws SQLException {
    DataSource db = SharedInfra.postgres().newDatabase("migrations_it_tenancy");
    Migrations.apply(db);
    try (Connection c = db.getConnection(); Statement s = c.createStatement()) {
      // Site and appliance events share a topic and a key (site_id): an appliance of an unknown site is wrong.
      assertThatThrownBy(() -> s.execute("""
          INSERT INTO appliances (appliance_id, site_id, hostname, public_key, registered_at)
          VALUES ('a9', 'no-such-site', 'host', 'AAAA', now())
          """)).hasMessageContaining("appliances_site_fkey");
      // An incident comes from another topic than its appliance: a replay may project it first.
      s.execute("""
          INSERT INTO incidents (incident_id, site_id, appliance_id, hostname, incident_type, detected_at,
              last_event_id)
          VALUES ('INC-20250301120000123456abcd', 's2', 'a1', 'host', 'backup', now(), gen_random_uuid())
          """);
      // A site event and its partner's events have different keys: the site may be projected first.
      s.execute("INSERT INTO sites VALUES ('s3', 'p2', 'o1', 'Site', 'UTC', now())");
    }
  }

  /** Two partners, each with one org and one site; appliance a1 at site s1 of partner p1. */
  private static final String TENANTS = """
      INSERT INTO partners VALUES ('p1', 'Partner 1', NULL, now()), ('p2', 'Partner 2', NULL, now());
      INSERT INTO client_orgs VALUES ('o1', 'p1', 'Org 1'), ('o2', 'p2', 'Org 2');
      INSERT INTO sites VALUES ('s1', 'p1', 'o1', 'Site 1', 'UTC', now()), ('s2', 'p2', 'o2', 'Site 2', 'UTC', now());
      INSERT INTO appliances (appliance_id, site_id, hostname, public_key, registered_at)
        VALUES ('a1', 's1', 'host', 'AAAA', now());
      """;

  private static String bundle(String id, long position, String prevHash, String chainHash) {
    return """
        INSERT INTO evidence_bundles (bundle_id, site_id, appliance_id, checked_at, received_at, bundle,
            bundle_hash, chain_position, prev_hash, chain_hash, signature, event_id)
        VALUES ('%s', 's1', 'a1', now(), now(), '{}', '%s', %d, '%s', '%s', 'sig', gen_random_uuid())
        """.formatted(id, "e".repeat(64), position, prevHash, chainHash);
  }

  /**
   * Everything a re-run could change in schema public, one line per object: tables and indexes with their oids
   * (a drop and re-create shows), columns, constraints, index definitions, comments, and row counts.
   */
  private static List<String> schemaFingerprint(DataSource db) throws SQLException {
    List<String> lines = new ArrayList<>();
    lines.addAll(strings(db, """
        SELECT 'relation ' || c.relname || ' ' || c.relkind::text || ' oid=' || c.oid
               || ' comment=' || coalesce(obj_description(c.oid, 'pg_class'), '-')
        FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public'
        """));
    lines.addAll(strings(db, """
        SELECT 'column ' || c.relname || '.' || a.attname || ' ' || format_type(a.atttypid, a.atttypmod)
               || ' notnull=' || a.attnotnull || ' default=' || coalesce(pg_get_expr(d.adbin, d.adrelid), '-')
               || ' generated=' || a.attgenerated::text || ' identity=' || a.attidentity::text
               || ' comment=' || coalesce(col_description(c.oid, a.attnum), '-')
        FROM pg_attribute a
        JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
        LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
        WHERE n.nspname = 'public' AND c.relkind = 'r' AND a.attnum > 0 AND NOT a.attisdropped
        """));
    lines.addAll(strings(db, """
        SELECT 'constraint ' || conrelid::regclass || ' ' || conname || ' oid=' || oid || ' '
               || pg_get_constraintdef(oid)
        FROM pg_constraint WHERE connamespace = 'public'::regnamespace
        """));
    lines.addAll(strings(db, "SELECT 'index ' || indexdef FROM pg_indexes WHERE schemaname = 'public'"));
    for (String table : strings(db, """
        SELECT tablename FROM pg_tables WHERE schemaname = 'public'
        """)) {
      lines.addAll(strings(db, "SELECT '" + table + " rows=' || count(*) FROM \"" + table + "\""));
    }
    return lines.stream().sorted().toList();
  }

  private static List<String> strings(DataSource db, String sql) throws SQLException {
    try (Connection c = db.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      List<String> out = new ArrayList<>();
      while (rs.next()) {
        out.add(rs.getString(1));
      }
      return out;
    }
  }
}
