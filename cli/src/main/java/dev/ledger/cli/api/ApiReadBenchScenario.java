package dev.ledger.cli.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.zaxxer.hikari.HikariDataSource;
import dev.ledger.api.ApiConfig;
import dev.ledger.api.ApiServer;
import dev.ledger.api.auth.ApiKeys;
import dev.ledger.api.auth.Tenancy;
import dev.ledger.api.db.ReadStore;
import dev.ledger.api.health.HealthRegistry;
import dev.ledger.api.http.Params;
import dev.ledger.api.reads.IncidentReads;
import dev.ledger.cli.Stack;
import dev.ledger.cli.bench.BenchContext;
import dev.ledger.cli.bench.BenchResult;
import dev.ledger.cli.bench.BenchScenario;
import dev.ledger.cli.bench.Wrk;
import dev.ledger.events.EventSerde;
import dev.ledger.projector.tables.SchemaDataSource;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.IntFunction;
import javax.sql.DataSource;

/**
 * The query API under load (issue 6): a site's first incident page and a site's aggregate, over HTTP with wrk at 64
 * connections, beside the same SQL run directly against PostgreSQL from 64 JDBC clients in the same run, over 10M
 * incidents across 1,000 sites at scale 1. Requests rotate over every site, each with its own partner's key.
 *
 * <p>The direct baseline is the exchange the API sends per request, statement for statement and as one pipelined
 * round trip ({@code ReadStore.readSite}): the row-level-security scope ({@link ReadStore#SCOPE}: role and tenant
 * settings), the site lookup of {@link Tenancy#SITE}, then the page or the aggregate, under the same RLS policies. So
 * the ratio is what HTTP, JSON, the pool, JDBI and Javalin add on top of the database's own work.
 */
public final class ApiReadBenchScenario implements BenchScenario {
  static final int SITES = 1000;
  static final long INCIDENTS = 10_000_000L;
  static final int CONNECTIONS = 64;
  static final int WRK_THREADS = 2;

  @Override
  public String name() {
    return "api-read";
  }

  @Override
  public String description() {
    return "query API p50/p99 and requests/s under 64 connections (wrk) vs the same SQL direct, 10M incidents";
  }

  /** One measured endpoint: its path under a site, and the SQL the API runs for it after the scope and site. */
  private record Endpoint(String name, String what, String pathSuffix, String text, boolean page) {
    NamedSql sql() {
      return NamedSql.parse(text);
    }
  }

  @Override
  public List<BenchResult> run(BenchContext context) throws Exception {
    PrintWriter err = new PrintWriter(System.err, true);
    Path wrk = Wrk.find();
    if (wrk == null) {
      err.println("bench:   api-read skipped: " + Wrk.MISSING);
      return List.of(BenchResult.raw("api-read-skipped", Wrk.MISSING, 0, "requests", Duration.ofNanos(1)));
    }
    long incidents = incidents(context);
    ReadBenchData.ensure(context.dataSource(), SITES, incidents, err);
    ReadBenchData.Tenancy tenancy = ReadBenchData.Tenancy.of(SITES);
    Map<String, String> keys = issueKeys(context.dataSource(), tenancy);
    Duration duration = duration(context);
    Duration warmUp = Duration.ofSeconds(5);
    List<Endpoint> endpoints = List.of(
        new Endpoint("first-page", "a site's first incident page (limit " + Params.DEFAULT_LIMIT + ", newest first)",
            "/incidents", IncidentReads.firstPageSql(), true),
        new Endpoint("aggregate", "a site's aggregate (COUNT(*) FILTER: total, status, successes, L1/L2/L3)",
            "/incident-stats", IncidentReads.siteStatsSql(), false));
    explain(context.dataSource(), tenancy, endpoints, err);
    String machine = load();
    List<BenchResult> results = new ArrayList<>();
    Properties props = new Properties();
    props.setProperty("currentSchema", ReadBenchData.SCHEMA);
    try (HikariDataSource pool = Stack.pool(context.jdbcUrl(), ReadBenchData.SCHEMA);
        HealthRegistry health = new HealthRegistry(Duration.ofSeconds(5));
        ApiServer api = ApiServer.start("127.0.0.1", 0, health, EventSerde.mapper(), ApiConfig.of(pool))) {
      // The API binds its read timeout into the scope statement; the direct baseline binds the same value.
      String timeout = ApiConfig.of(pool).statementTimeout().toMillis() + "ms";
      String base = "http://127.0.0.1:" + api.port();
      for (Endpoint e : endpoints) {
        List<Wrk.Target> targets = new ArrayList<>();
        for (int n = 0; n < SITES; n++) {
          targets.add(new Wrk.Target("/v1/sites/" + tenancy.sites().get(n) + e.pathSuffix(),
              keys.get(tenancy.partners().get(n))));
        }
        check(base, targets.get(0), e, incidents / SITES);
        err.printf("bench:   api-read: %s: warm-up %d s, then wrk %d s and direct SQL %d s (load %s)%n", e.name(),
            warmUp.toSeconds(), duration.toSeconds(), duration.toSeconds(), load());
        Wrk.run(wrk, context.workDir(), base, targets, 0, CONNECTIONS, WRK_THREADS, warmUp);
        String loadBefore = load();
        Wrk.Result r = Wrk.run(wrk, context.workDir(), base, targets, 0, CONNECTIONS, WRK_THREADS, duration)
            .requireClean(e.name());
        List<NamedSql> steps = List.of(NamedSql.parse(ReadStore.SCOPE), NamedSql.parse(Tenancy.SITE),
            NamedSql.parse(ReadStore.siteGuarded(e.text())));
        IntFunction<Map<String, Object>> values = i -> values(tenancy,
            Math.floorMod(i * Wrk.stride(SITES), SITES), timeout);
        DirectSql.run(context.jdbcUrl(), props, steps, CONNECTIONS, Duration.ofSeconds(3), values);
        DirectSql.Result d = DirectSql.run(context.jdbcUrl(), props, steps, CONNECTIONS, duration, values);
        // The same exchange from as many clients as the API runs reads at once: what PostgreSQL serves of it when
        // not shared among 64 backends (of the two concurrencies measured, the one the API itself uses).
        int apiReads = ApiConfig.of(pool).maxConcurrentReads();
        DirectSql.Result few = DirectSql.run(context.jdbcUrl(), props, steps, apiReads, duration, values);
        // The query alone, as the table's owner (no scope, no site lookup, no row-level security): how much of the
        // exchange above is the query itself.
        DirectSql.Result alone = DirectSql.run(context.jdbcUrl(), props, List.of(e.sql()), CONNECTIONS, duration,
            values);
        String loadAfter = load();
        String data = String.format("%,d incidents / %,d sites", incidents, SITES);
        results.add(BenchResult.raw("sql-" + e.name() + "-alone", "the " + e.name() + " query alone, "
            + CONNECTIONS + " JDBC clients, as the table owner (no RLS scope, no site lookup)", alone.requests(),
            "queries", alone.elapsed()));
        results.add(new BenchResult("sql-" + e.name() + "-api-reads", "direct SQL, " + apiReads + " JDBC clients "
            + "(as many as the API's reads at once), the API's exchange: " + e.what(), few.requests(), "queries",
            few.elapsed(), null, few.p50Micros(), few.p99Micros()));
        results.add(new BenchResult("sql-" + e.name(), "direct SQL, " + CONNECTIONS + " JDBC clients, the API's"
            + " exchange (RLS scope + site lookup + query, one pipelined round trip): " + e.what() + ", " + data,
            d.requests(), "queries", d.elapsed(), null, d.p50Micros(), d.p99Micros()));
        results.add(new BenchResult("api-" + e.name(), "GET /v1/sites/{id}" + e.pathSuffix() + " with wrk, "
            + CONNECTIONS + " connections, " + WRK_THREADS + " threads, partner keys, every site in turn; load "
            + loadBefore + " -> " + loadAfter, r.requests(), "requests", r.duration(), "sql-" + e.name(),
            r.p50Micros(), r.p99Micros()));
        err.printf("bench:   api-%s: p50 %.2f ms p99 %.2f ms %,.0f req/s | sql-%s: p50 %.2f ms p99 %.2f ms %,.0f"
                + " q/s | p99 ratio %.2f | the query alone: p50 %.2f ms p99 %.2f ms %,.0f q/s%n", e.name(),
            r.p50Micros() / 1e3, r.p99Micros() / 1e3, r.perSecond(), e.name(), d.p50Micros() / 1e3,
            d.p99Micros() / 1e3, d.perSecond(), (double) r.p99Micros() / Math.max(1, d.p99Micros()),
            alone.p50Micros() / 1e3, alone.p99Micros() / 1e3, alone.perSecond());
        err.printf("bench:   sql-%s from %d clients: p50 %.2f ms p99 %.2f ms %,.0f q/s%n", e.name(), apiReads,
            few.p50Micros() / 1e3, few.p99Micros() / 1e3, few.perSecond());
      }
    } finally {
      revokeKeys(context.dataSource(), keys);
    }
    err.println("bench:   api-read: machine " + machine);
    return results;
  }

  /**
   * Prints the plans of both queries for one site, as the API's reader under its row-level security scope: the
   * first page must be an index scan, the aggregate an index-only scan.
   */
  private static void explain(DataSource root, ReadBenchData.Tenancy tenancy, List<Endpoint> endpoints,
      PrintWriter err) throws Exception {
    Map<String, Object> v = values(tenancy, SITES / 2, "10000ms");
    try (Connection c = new SchemaDataSource(root, ReadBenchData.SCHEMA).getConnection()) {
      c.setAutoCommit(false);
      NamedSql scope = NamedSql.parse(ReadStore.SCOPE);
      try (PreparedStatement ps = c.prepareStatement(scope.jdbc())) {
        bind(ps, scope, v);
        ps.executeQuery().close();
      }
      for (Endpoint e : endpoints) {
        // EXPLAIN prefixes the API's constant SQL text; values are bound, never spliced.
        try (PreparedStatement ps = c.prepareStatement("EXPLAIN (ANALYZE, BUFFERS) " + e.sql().jdbc())) {
          bind(ps, e.sql(), v);
          StringBuilder plan = new StringBuilder();
          try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
              plan.append("bench:     ").append(rs.getString(1)).append('\n');
            }
          }
          err.printf("bench:   api-read: plan of %s for %s as ledger_api_reader:%n%s", e.name(),
              v.get("site"), plan);
        }
      }
      c.rollback();
    }
  }

  private static void bind(PreparedStatement ps, NamedSql sql, Map<String, Object> v) throws Exception {
    for (int k = 0; k < sql.names().size(); k++) {
      ps.setObject(k + 1, v.get(sql.names().get(k)));
    }
  }

  private static Map<String, Object> values(ReadBenchData.Tenancy tenancy, int site, String timeout) {
    Map<String, Object> v = new HashMap<>();
    v.put("partner", tenancy.partners().get(site));
    v.put("scope_site", ""); // a partner's scope, as the API sets it: no appliance site
    v.put("site", tenancy.sites().get(site));
    v.put("admin", "");
    v.put("timeout", timeout);
    v.put("limit", Params.DEFAULT_LIMIT + 1);
    v.put("offset", 0);
    v.put("from", null);
    v.put("to", null);
    return v;
  }

  /** The incidents of the data set: 10 million at scale 1, at least one per site. */
  static long incidents(BenchContext context) {
    return Math.max(SITES, Math.round(INCIDENTS * context.scale()));
  }

  /** How long each measured load runs: 20 s at scale 1, between 5 and 20 s. */
  static Duration duration(BenchContext context) {
    return Duration.ofSeconds(Math.max(5, Math.min(20, Math.round(20 * context.scale()))));
  }

  /** One API key per partner, issued as {@code ledger partners create} issues them. */
  static Map<String, String> issueKeys(DataSource root, ReadBenchData.Tenancy tenancy) throws Exception {
    ApiKeys apiKeys = new ApiKeys(root);
    Map<String, String> keys = new HashMap<>();
    for (String partner : tenancy.distinctPartners()) {
      keys.put(partner, apiKeys.issuePartnerKey(partner, "bench api-read", Instant.now()).key());
    }
    return keys;
  }

  static void revokeKeys(DataSource root, Map<String, String> keys) throws Exception {
    ApiKeys apiKeys = new ApiKeys(root);
    for (String key : keys.values()) {
      apiKeys.revoke(key.substring(3, 19), Instant.now());
    }
  }

  /** One request by hand before the load: a 200 with the page or the counts the data promises. */
  private static void check(String base, Wrk.Target target, Endpoint e, long perSite) throws Exception {
    HttpResponse<byte[]> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(base
        + target.path())).header("Authorization", "Bearer " + target.apiKey()).build(),
        HttpResponse.BodyHandlers.ofByteArray());
    if (response.statusCode() != 200) {
      throw new IllegalStateException(target.path() + " answered " + response.statusCode() + ": "
          + new String(response.body(), java.nio.charset.StandardCharsets.UTF_8));
    }
    JsonNode body = EventSerde.mapper().readTree(response.body());
    boolean ok = e.page() ? body.path("items").size() == Math.min(perSite, Params.DEFAULT_LIMIT)
        : body.path("total").asLong() == perSite;
    if (!ok) {
      throw new IllegalStateException(target.path() + " did not answer what the data holds: " + body);
    }
  }

  /** The 1-, 5- and 15-minute load averages, as uptime shows them. */
  static String load() {
    try {
      String[] f = java.nio.file.Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
      return f[0] + " " + f[1] + " " + f[2];
    } catch (java.io.IOException | RuntimeException e) {
      return "unknown";
    }
  }
}
