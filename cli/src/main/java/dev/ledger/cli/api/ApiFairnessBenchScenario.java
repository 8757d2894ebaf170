package dev.ledger.cli.api;

import com.zaxxer.hikari.HikariDataSource;
import dev.ledger.api.ApiConfig;
import dev.ledger.api.ApiServer;
import dev.ledger.api.health.HealthRegistry;
import dev.ledger.cli.Stack;
import dev.ledger.cli.bench.BenchContext;
import dev.ledger.cli.bench.BenchResult;
import dev.ledger.cli.bench.BenchScenario;
import dev.ledger.cli.bench.Wrk;
import dev.ledger.events.EventSerde;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * A noisy neighbour (issue 6): one partner keeps {@value #HEAVY_CONNECTIONS} connections of aggregate reads on its
 * sites while another partner reads first incident pages of its own sites from {@value #LIGHT_CONNECTIONS}
 * connections, on the {@code api-read} data. The light partner's latency is measured alone, then beside the heavy
 * one with the API's reads taking turns in arrival order, then round the callers (the default), each on an API of
 * its own in the same run.
 */
public final class ApiFairnessBenchScenario implements BenchScenario {
  static final int HEAVY_CONNECTIONS = 48;
  static final int LIGHT_CONNECTIONS = 4;

  @Override
  public String name() {
    return "api-fairness";
  }

  @Override
  public String description() {
    return "one partner's backlog of reads beside another partner's reads: turns in arrival order vs round the"
        + " callers";
  }

  @Override
  public List<BenchResult> run(BenchContext context) throws Exception {
    PrintWriter err = new PrintWriter(System.err, true);
    Path wrk = Wrk.find();
    if (wrk == null) {
      err.println("bench:   api-fairness skipped: " + Wrk.MISSING);
      return List.of(BenchResult.raw("api-fairness-skipped", Wrk.MISSING, 0, "requests", Duration.ofNanos(1)));
    }
    int sites = ApiReadBenchScenario.SITES;
    ReadBenchData.ensure(context.dataSource(), sites, ApiReadBenchScenario.incidents(context), err);
    ReadBenchData.Tenancy tenancy = ReadBenchData.Tenancy.of(sites);
    Map<String, String> keys = ApiReadBenchScenario.issueKeys(context.dataSource(), tenancy);
    // The heavy partner's sites with their aggregate, the light partner's with their first page.
    String heavy = tenancy.partners().get(0);
    String light = tenancy.partners().get(sites - 1);
    List<Wrk.Target> heavyTargets = new ArrayList<>();
    List<Wrk.Target> lightTargets = new ArrayList<>();
    for (int n = 0; n < sites; n++) {
      String partner = tenancy.partners().get(n);
      if (partner.equals(heavy)) {
        heavyTargets.add(new Wrk.Target("/v1/sites/" + tenancy.sites().get(n) + "/incident-stats", keys.get(heavy)));
      } else if (partner.equals(light)) {
        lightTargets.add(new Wrk.Target("/v1/sites/" + tenancy.sites().get(n) + "/incidents", keys.get(light)));
      }
    }
    Duration duration = ApiReadBenchScenario.duration(context);
    Duration warmUp = Duration.ofSeconds(5);
    List<BenchResult> results = new ArrayList<>();
    ExecutorService both = Executors.newFixedThreadPool(2);
    try (HikariDataSource pool = Stack.pool(context.jdbcUrl(), ReadBenchData.SCHEMA);
        HealthRegistry health = new HealthRegistry(Duration.ofSeconds(5))) {
      String lightAlone = "api-fairness-light-alone";
      String heavyAlone = "api-fairness-heavy-alone";
      for (boolean fair : new boolean[] {false, true}) {
        String order = fair ? "round" : "arrival";
        String turns = fair ? "turns round the callers" : "turns in arrival order";
        try (ApiServer api = ApiServer.start("127.0.0.1", 0, health, EventSerde.mapper(),
            ApiConfig.of(pool).withFairReads(fair))) {
          String base = "http://127.0.0.1:" + api.port();
          err.printf("bench:   api-fairness, %s: warm-up %d s, then %d s (load %s)%n", turns, warmUp.toSeconds(),
              duration.toSeconds(), ApiReadBenchScenario.load());
          side(both, wrk, context, base, heavyTargets, lightTargets, warmUp);
          if (!fair) {
            // Each partner alone first (no contention: the order of turns does not matter yet).
            Wrk.Result a = Wrk.run(wrk, context.workDir(), base, lightTargets, 0, LIGHT_CONNECTIONS, 1, duration)
                .requireClean("the light partner alone");
            results.add(new BenchResult(lightAlone, "the light partner's first pages alone: " + LIGHT_CONNECTIONS
                + " connections over its " + lightTargets.size() + " sites, nothing else running", a.requests(),
                "requests", a.duration(), null, a.p50Micros(), a.p99Micros()));
            Wrk.Result h = Wrk.run(wrk, context.workDir(), base, heavyTargets, 0, HEAVY_CONNECTIONS, 1, duration)
                .requireClean("the heavy partner alone");
            results.add(new BenchResult(heavyAlone, "the heavy partner's aggregates alone: " + HEAVY_CONNECTIONS
                + " connections over its " + heavyTargets.size() + " sites, nothing else running", h.requests(),
                "requests", h.duration(), null, h.p50Micros(), h.p99Micros()));
            err.printf("bench:   alone: light p50 %.2f ms p99 %.2f ms %,.0f req/s | heavy p50 %.2f ms p99 %.2f ms"
                    + " %,.0f req/s%n", a.p50Micros() / 1e3, a.p99Micros() / 1e3, a.perSecond(),
                h.p50Micros() / 1e3, h.p99Micros() / 1e3, h.perSecond());
          }
          Wrk.Result[] r = side(both, wrk, context, base, heavyTargets, lightTargets, duration);
          results.add(new BenchResult("api-fairness-light-" + order, "the light partner beside the heavy one, "
              + turns, r[1].requests(), "requests", r[1].duration(), lightAlone, r[1].p50Micros(),
              r[1].p99Micros()));
          results.add(new BenchResult("api-fairness-heavy-" + order, "the heavy partner beside the light one, "
              + turns, r[0].requests(), "requests", r[0].duration(), heavyAlone, r[0].p50Micros(),
              r[0].p99Micros()));
          err.printf("bench:   api-fairness, %s: light p50 %.2f ms p99 %.2f ms %,.0f req/s | heavy p50 %.2f ms"
                  + " p99 %.2f ms %,.0f req/s%n", turns, r[1].p50Micros() / 1e3, r[1].p99Micros() / 1e3,
              r[1].perSecond(), r[0].p50Micros() / 1e3, r[0].p99Micros() / 1e3, r[0].perSecond());
        }
      }
    } finally {
      both.shutdownNow();
      ApiReadBenchScenario.revokeKeys(context.dataSource(), keys);
    }
    return results;
  }

  /** Both partners at once for {@code duration}: the heavy one's result, then the light one's. */
  private static Wrk.Result[] side(ExecutorService both, Path wrk, BenchContext context, String base,
      List<Wrk.Target> heavyTargets, List<Wrk.Target> lightTargets, Duration duration) throws Exception {
    Future<Wrk.Result> heavy = both.submit(() -> Wrk.run(wrk, context.workDir(), base, heavyTargets, 0,
        HEAVY_CONNECTIONS, 1, duration).requireClean("the heavy partner"));
    Future<Wrk.Result> light = both.submit(() -> Wrk.run(wrk, context.workDir(), base, lightTargets, 0,
        LIGHT_CONNECTIONS, 1, duration).requireClean("the light partner"));
    return new Wrk.Result[] {heavy.get(), light.get()};
  }
}
