package dev.ledger.cli.api;

import dev.ledger.migrations.Migrations;
import dev.ledger.projector.tables.SchemaDataSource;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/**
 * The data of the {@code api-read} scenario, in the real projected tables of a migrated schema of its own: partners
 * (one per 100 sites), client orgs (one per 10 sites), sites, one appliance per site, and incidents spread evenly
 * over the sites and interleaved in time, as a projector writes them from many partitions. Loaded server-side
 * ({@code INSERT ... SELECT FROM generate_series}, one transaction per chunk, fsync on), then vacuumed and
 * analysed; kept afterwards, so that a rerun on the same database reuses it when the counts match.
 */
final class ReadBenchData {
  static final String SCHEMA = "bench_api_read";
  static final int SITES_PER_PARTNER = 100;
  private static final int CHUNK = 250_000;

  private static final String INCIDENTS = """
      INSERT INTO incidents (incident_id, site_id, appliance_id, hostname, incident_type, severity, check_type,
          drift_type, error_message, pattern_signature, raw_data, status, resolution_level, resolution_action,
          outcome, resolution_time_ms, detected_at, resolved_at, escalated_at, last_event_id)
      SELECT 'INC-' || to_char(t, 'YYYYMMDDHH24MISS') || '000000' || lpad(to_hex(i & 65535), 4, '0'),
             'site-' || lpad((i % ?)::text, 4, '0'),
             'appl-' || lpad((i % ?)::text, 4, '0'),
             'ws-' || (i / 1000 % 50),
             (ARRAY['patching', 'backup', 'encryption', 'firewall', 'antivirus', 'disk_space'])[k % 6 + 1],
             (ARRAY['low', 'medium', 'high', 'critical'])[k * 7 % 4 + 1],
             (ARRAY['patching', 'backup', 'encryption', 'firewall', 'antivirus', 'disk_space'])[k % 6 + 1] || '_check',
             'drift', 'drift detected on ws-' || (i / 1000 % 50),
             lpad(to_hex((k % 977) * 104729 + 1), 16, '0'),
             jsonb_build_object('kb', i),
             CASE WHEN k % 20 < 18 THEN 'resolved' WHEN k % 20 = 18 THEN 'escalated' ELSE 'open' END,
             CASE WHEN k % 20 = 18 THEN 'L3' WHEN k % 20 = 19 THEN NULL
                  WHEN k % 10 < 7 THEN 'L1' WHEN k % 10 < 9 THEN 'L2' ELSE 'L3' END,
             CASE WHEN k % 20 < 18 THEN 'restart_service' END,
             CASE WHEN k % 20 = 18 THEN 'escalated' WHEN k % 20 = 19 THEN NULL
                  WHEN k % 25 = 0 THEN 'failure' ELSE 'success' END,
             CASE WHEN k % 20 < 18 THEN i % 90000 END,
             t,
             CASE WHEN k % 20 < 18 THEN t + interval '1 minute' END,
             CASE WHEN k % 20 = 18 THEN t + interval '2 minutes' END,
             md5(i::text)::uuid
      FROM generate_series(?, ?) AS g(i),
           LATERAL (SELECT timestamptz '2026-07-01 00:00:00+00' + i * interval '1 second' AS t, i / 1000 AS k) AS d""";

  private ReadBenchData() {}

  /** The site ids, and the partner of each, in site order. */
  record Tenancy(List<String> sites, List<String> partners) {
    static Tenancy of(int sites) {
      List<String> siteIds = new ArrayList<>(sites);
      List<String> partnerIds = new ArrayList<>(sites);
      for (int n = 0; n < sites; n++) {
        siteIds.add(String.format("site-%04d", n));
        partnerIds.add(partnerId(n / SITES_PER_PARTNER));
      }
      return new Tenancy(List.copyOf(siteIds), List.copyOf(partnerIds));
    }

    List<String> distinctPartners() {
      return partners.stream().distinct().toList();
    }
  }

  static String partnerId(int p) {
    return String.format("bench-p%02d", p);
  }

  /**
   * Migrates the scenario's schema and makes sure it holds exactly {@code incidents} incidents over {@code sites}
   * sites, loading them unless they are there already; returns the schema's data source.
   */
  static DataSource ensure(DataSource root, int sites, long incidents, PrintWriter err) throws SQLException {
    Migrations.apply(root, SCHEMA);
    DataSource ds = new SchemaDataSource(root, SCHEMA);
    try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
      long haveSites = count(s, "SELECT count(*) FROM sites");
      long haveIncidents = haveSites == sites ? count(s, "SELECT count(*) FROM incidents") : -1;
      if (haveSites == sites && haveIncidents == incidents) {
        err.printf("bench:   api-read reuses the %,d incidents over %,d sites already in schema %s%n", incidents,
            sites, SCHEMA);
        err.flush();
        return ds;
      }
      err.printf("bench:   api-read loads %,d incidents over %,d sites into schema %s (found %,d sites, %,d"
          + " incidents)%n", incidents, sites, SCHEMA, haveSites, Math.max(0, haveIncidents));
      err.flush();
      s.execute("TRUNCATE incidents, appliances, sites, client_orgs, partners");
      loadTenancy(c, sites);
      loadIncidents(c, sites, incidents, err);
      long start = System.nanoTime();
      // Sets the visibility map (index-only scans) and hint bits, and gathers the planner's statistics: what
      // autovacuum does to a table this size soon after it grew.
      s.execute("VACUUM (ANALYZE) incidents");
      s.execute("ANALYZE partners, client_orgs, sites, appliances");
      err.printf("bench:   api-read: VACUUM (ANALYZE) in %.1f s%n", (System.nanoTime() - start) / 1e9);
      err.flush();
    }
    return ds;
  }

  private static void loadTenancy(Connection c, int sites) throws SQLException {
    int partners = (sites + SITES_PER_PARTNER - 1) / SITES_PER_PARTNER;
    try (PreparedStatement p = c.prepareStatement("""
            INSERT INTO partners (partner_id, name, contact_email, created_at)
            SELECT 'bench-p' || lpad(n::text, 2, '0'), 'Bench MSP ' || n, NULL, timestamptz '2026-06-01 00:00:00+00'
            FROM generate_series(0, ? - 1) AS g(n)""");
        PreparedStatement o = c.prepareStatement("""
            INSERT INTO client_orgs (client_org_id, partner_id, name)
            SELECT 'bench-org-' || lpad(n::text, 3, '0'), 'bench-p' || lpad((n * 10 / ?)::text, 2, '0'),
                   'Clinic group ' || n
            FROM generate_series(0, (? + 9) / 10 - 1) AS g(n)""");
        PreparedStatement s = c.prepareStatement("""
            INSERT INTO sites (site_id, partner_id, client_org_id, name, timezone, created_at)
            SELECT 'site-' || lpad(n::text, 4, '0'), 'bench-p' || lpad((n / ?)::text, 2, '0'),
                   'bench-org-' || lpad((n / 10)::text, 3, '0'), 'Clinic ' || n, 'UTC',
                   timestamptz '2026-06-01 00:00:00+00'
            FROM generate_series(0, ? - 1) AS g(n)""");
        PreparedStatement a = c.prepareStatement("""
            INSERT INTO appliances (appliance_id, site_id, hostname, public_key, agent_version, ip_address,
                last_checkin, is_online, registered_at)
            SELECT 'appl-' || lpad(n::text, 4, '0'), 'site-' || lpad(n::text, 4, '0'), 'gw-' || n,
                   encode(sha256(convert_to('appl-' || n, 'UTF8')), 'base64'), '1.0.0', '10.0.0.1',
                   timestamptz '2026-10-01 00:00:00+00', true, timestamptz '2026-06-01 00:00:00+00'
            FROM generate_series(0, ? - 1) AS g(n)""")) {
      p.setInt(1, partners);
      p.executeUpdate();
      o.setInt(1, SITES_PER_PARTNER);
      o.setInt(2, sites);
      o.executeUpdate();
      s.setInt(1, SITES_PER_PARTNER);
      s.setInt(2, sites);
      s.executeUpdate();
      a.setInt(1, sites);
      a.executeUpdate();
    }
  }

  private static void loadIncidents(Connection c, int sites, long incidents, PrintWriter err) throws SQLException {
    long start = System.nanoTime();
    c.setAutoCommit(false);
    try (PreparedStatement ps = c.prepareStatement(INCIDENTS)) {
      for (long lo = 0; lo < incidents; lo += CHUNK) {
        long hi = Math.min(incidents, lo + CHUNK) - 1;
        ps.setInt(1, sites);
        ps.setInt(2, sites);
        ps.setLong(3, lo);
        ps.setLong(4, hi);
        ps.executeUpdate();
        c.commit();
        double seconds = (System.nanoTime() - start) / 1e9;
        err.printf("bench:   api-read: %,d / %,d incidents loaded (%.0f%%, %,.0f rows/s, %.0f s)%n", hi + 1,
            incidents, 100.0 * (hi + 1) / incidents, (hi + 1) / seconds, seconds);
        err.flush();
      }
    } finally {
      c.setAutoCommit(true);
    }
  }

  private static long count(Statement s, String sql) throws SQLException {
    try (ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
