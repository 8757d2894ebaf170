package dev.ledger.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.ledger.api.audit.AuditSeed;
import dev.ledger.api.auth.ApiKeys;
import dev.ledger.api.health.HealthRegistry;
import dev.ledger.migrations.Migrations;
import dev.ledger.testkit.SharedInfra;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import javax.sql.DataSource;

/**
 * A migrated database with two tenants, their API keys, and the API serving it. Partner p1 owns org o1, sites s1
 * and s1b, appliances a1 (online) and a1b (stale); partner p2 owns org o2, site s2 and appliance a2. Each site
 * has incidents, a pattern, a flap suppression, an evidence link, compliance results, orders and a CVE match.
 */
final class ApiFixture implements AutoCloseable {
  static final Instant NOW = Instant.parse("2026-11-28T12:00:00Z");
  static final ObjectMapper JSON = dev.ledger.events.EventSerde.mapper();

  final DataSource dataSource;
  final ApiKeys keys;
  final String p1Key;
  final String p2Key;
  final String adminKey;
  final String a1Key;
  final String a2Key;
  final ApiServer api;
  private final HealthRegistry health = new HealthRegistry(Duration.ofSeconds(1));
  private final HttpClient http = HttpClient.newHttpClient();

  ApiFixture(String database) throws Exception {
    this(database, List.of());
  }

  /** As {@link #ApiFixture(String)}, with {@code modules} registered after the audit routes. */
  ApiFixture(String database, List<RouteModule> modules) throws Exception {
    this(database, modules, config -> config);
  }

  /** As {@link #ApiFixture(String, List)}, with the API's configuration adjusted by {@code tweak}. */
  ApiFixture(String database, List<RouteModule> modules, UnaryOperator<ApiConfig> tweak) throws Exception {
    HikariConfig pool = new HikariConfig();
    pool.setDataSource(SharedInfra.postgres().newDatabase(database));
    pool.setMaximumPoolSize(8);
    dataSource = new HikariDataSource(pool);
    Migrations.apply(dataSource);
    try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
      s.execute(SEED);
    }
    AuditSeed audit = new AuditSeed();
    audit.firstLink(dataSource, "s1");
    keys = new ApiKeys(dataSource);
    p1Key = keys.issuePartnerKey("p1", "test", NOW).key();
    p2Key = keys.issuePartnerKey("p2", "test", NOW).key();
    adminKey = keys.issueAdminKey("test", NOW).key();
    a1Key = keys.issueApplianceKey("a1", "s1", "test", NOW).key();
    a2Key = keys.issueApplianceKey("a2", "s2", "test", NOW).key();
    api = ApiServer.start("127.0.0.1", 0, health, JSON, tweak.apply(ApiConfig.of(dataSource)
        .withClock(Clock.fixed(NOW, ZoneOffset.UTC)).withAuthCacheTtl(Duration.ZERO)
        .withModules(Stream.concat(Stream.of(audit.routes()), modules.stream()).toList())));
  }

  HttpResponse<String> get(String key, String path) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api.port() + path))
        .timeout(Duration.ofSeconds(20));
    if (key != null) {
      request.header("Authorization", "Bearer " + key);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  HttpResponse<String> send(String key, String method, String path, String body) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api.port() + path))
        .timeout(Duration.ofSeconds(20)).method(method, HttpRequest.BodyPublishers.ofString(body))
        .header("Content-Type", "application/json");
    if (key != null) {
      request.header("Authorization", "Bearer " + key);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  JsonNode json(HttpResponse<String> response) throws Exception {
    return JSON.readTree(response.body());
  }

  static String q(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }

  /** Path parameter values of p1 (the caller's own) and p2 (another tenant's). */
  static final Map<String, String> P1_IDS = Map.of("siteId", "s1", "incidentId", "INC-202611281100000000000001",
      "bundleId", "b-s1-1", "orderId", "ord-s1-1", "clientOrgId", "o1", "frameworkId", "hipaa",
      "signature", "0123456789abcdef");
  static final Map<String, String> P2_IDS = Map.of("siteId", "s2", "incidentId", "INC-202611281100000000000002",
      "bundleId", "b-s2-1", "orderId", "ord-s2-1", "clientOrgId", "o2", "frameworkId", "hipaa");

  @Override
  public void close() {
    api.close();
    health.close();
    ((HikariDataSource) dataSource).close();
  }

  private static final String SEED = """
      INSERT INTO partners VALUES ('p1', 'Partner One', NULL, '2026-01-01Z'), ('p2', 'Partner Two', NULL, '2026-01-01Z');
      INSERT INTO client_orgs VALUES ('o1', 'p1', 'Clinic One'), ('o2', 'p2', 'Clinic Two');
      INSERT INTO sites VALUES ('s1', 'p1', 'o1', 'Site One', 'UTC', '2026-01-01Z'),
                               ('s1b', 'p1', 'o1', 'Site One B', 'UTC', '2026-01-01Z'),
                               ('s2', 'p2', 'o2', 'Site Two', 'UTC', '2026-01-01Z');
      INSERT INTO appliances (appliance_id, site_id, hostname, public_key, last_checkin, registered_at) VALUES
        ('a1', 's1', 'host-a1', 'AAAA', '2026-11-28T11:55:00Z', '2026-01-01Z'),
        ('a1b', 's1', 'host-a1b', 'AAAA', '2026-11-28T11:30:00Z', '2026-01-01Z'),
        ('a2', 's2', 'host-a2', 'AAAA', '2026-11-27T11:00:00Z', '2026-01-01Z');
      -- 120 incidents at s1 (one a minute back from 11:00), 40 at s2.
      INSERT INTO incidents (incident_id, site_id, appliance_id, hostname, incident_type, severity, status,
          resolution_level, outcome, detected_at, last_event_id, raw_data)
      SELECT 'INC-20261128110000' || lpad(g::text, 6, '0') || '000' || (CASE WHEN g % 2 = 0 THEN '1' ELSE '1' END),
             's1', 'a1', 'host-a1', CASE WHEN g % 3 = 0 THEN 'backup' ELSE 'patching' END,
             CASE WHEN g % 4 = 0 THEN 'high' ELSE 'low' END,
             CASE WHEN g % 5 = 0 THEN 'open' ELSE 'resolved' END,
             CASE WHEN g % 5 = 0 THEN NULL WHEN g % 5 = 1 THEN 'L1' WHEN g % 5 = 2 THEN 'L2' ELSE 'L3' END,
             CASE WHEN g % 5 = 0 THEN NULL WHEN g % 5 = 4 THEN 'failure' ELSE 'success' END,
             timestamptz '2026-11-28T11:00:00Z' - g * interval '1 minute', gen_random_uuid(), '{"kb": 1}'
      FROM generate_series(0, 119) g;
      UPDATE incidents SET resolved_by_bundle = 'b-1' WHERE incident_id = 'INC-202611281100000000010001';
      INSERT INTO incidents (incident_id, site_id, appliance_id, hostname, incident_type, severity, status,
          detected_at, last_event_id)
      SELECT 'INC-20261128110000' || lpad(g::text, 6, '0') || '0002', 's2', 'a2', 'host-a2', 'patching', 'high',
             'open', timestamptz '2026-11-28T11:00:00Z' - g * interval '1 minute', gen_random_uuid()
      FROM generate_series(0, 39) g;
      INSERT INTO pattern_stats (scope, site_id, pattern_signature, occurrences, l2_resolutions, successes,
          last_seen, last_successful_action, promotion_eligible, updated_at) VALUES
        ('site', 's1', '00000000000000a1', 6, 4, 6, '2026-11-28T10:00:00Z', 'restart', true, '2026-11-28T10:00:00Z'),
        ('site', 's2', '00000000000000a2', 9, 5, 9, '2026-11-28T10:00:00Z', 'restart', true, '2026-11-28T10:00:00Z'),
        ('fleet', '', '00000000000000f0', 15, 9, 15, '2026-11-28T10:00:00Z', 'restart', true, '2026-11-28T10:00:00Z');
      INSERT INTO flap_suppressions (site_id, hostname, incident_type, heal_count, suppressed_at, active) VALUES
        ('s1', 'host-a1', 'backup', 3, '2026-11-28T09:00:00Z', true),
        ('s2', 'host-a2', 'backup', 3, '2026-11-28T09:00:00Z', true);
      INSERT INTO evidence_bundles (bundle_id, site_id, appliance_id, checked_at, received_at, bundle, bundle_hash,
          chain_position, prev_hash, chain_hash, signature, event_id) VALUES
        ('b-s1-1', 's1', 'a1', '2026-11-28T10:00:00Z', '2026-11-28T10:00:01Z', '{"n": 1}', repeat('a', 64), 1,
         repeat('0', 64), repeat('b', 64), 'c2ln', gen_random_uuid()),
        ('b-s2-1', 's2', 'a2', '2026-11-28T10:00:00Z', '2026-11-28T10:00:01Z', '{"n": 2}', repeat('a', 64), 1,
         repeat('0', 64), repeat('c', 64), 'c2ln', gen_random_uuid());
      INSERT INTO compliance_snapshots (site_id, check_type, hostname, checked_at, status) VALUES
        ('s1', 'encryption', 'h1', '2026-11-27T10:00:00Z', 'pass'),
        ('s1', 'backup', 'h1', '2026-11-27T10:00:00Z', 'fail'),
        ('s1b', 'backup', 'h9', '2026-11-27T10:00:00Z', 'pass'),
        ('s2', 'backup', 'h1', '2026-11-27T10:00:00Z', 'pass');
      INSERT INTO orders (order_id, site_id, appliance_id, order_type, status, issued_by, issued_at, expires_at) VALUES
        ('ord-s1-1', 's1', 'a1', 'run_runbook', 'pending', 'partner:p1', '2026-11-28T11:00:00Z', '2026-11-28T13:00:00Z'),
        ('ord-s1-2', 's1', 'a1', 'run_runbook', 'pending', 'partner:p1', '2026-11-28T09:00:00Z', '2026-11-28T11:00:00Z'),
        ('ord-s2-1', 's2', 'a2', 'run_runbook', 'pending', 'partner:p2', '2026-11-28T11:00:00Z', '2026-11-28T13:00:00Z');
      INSERT INTO cve_entries (cve_id, severity, cvss_score) VALUES ('CVE-2026-0001', 'high', 8.1);
      INSERT INTO cve_fleet_matches (cve_id, appliance_id, site_id, product, matched_at) VALUES
        ('CVE-2026-0001', 'a1', 's1', 'openssl', '2026-11-28T08:00:00Z'),
        ('CVE-2026-0001', 'a2', 's2', 'openssl', '2026-11-28T08:00:00Z');
      INSERT INTO compliance_frameworks VALUES ('hipaa', 'HIPAA', '2013');
      INSERT INTO framework_controls VALUES ('hipaa', '164.312(a)(2)(iv)', 'Encryption', NULL);
      INSERT INTO control_check_mappings VALUES ('hipaa', '164.312(a)(2)(iv)', 'encryption');
      """;
}
