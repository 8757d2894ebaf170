package dev.ledger.api;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import javax.sql.DataSource;

/**
 * How the API serves reads: the PostgreSQL it reads (as the owner for API keys, as {@code ledger_api_reader} for
 * tenant data), the clock for liveness and scores, how long an accepted API key is remembered (a revoked key
 * stops working within that time; zero: every request asks the database), the statement timeout of a read, the
 * largest request body, how many reads run at once (the rest wait their turn without a thread: {@link
 * dev.ledger.api.http.ReadLimiter}), whether waiting reads take turns round their callers ({@code fairReads}) or
 * in arrival order, and the route modules plugged in.
 */
public record ApiConfig(DataSource dataSource, Clock clock, Duration authCacheTtl, Duration statementTimeout,
    long maxRequestBytes, int maxConcurrentReads, boolean fairReads, List<RouteModule> modules) {

  public ApiConfig {
    Objects.requireNonNull(dataSource, "dataSource");
    Objects.requireNonNull(clock, "clock");
    if (authCacheTtl.isNegative() || statementTimeout.isNegative() || statementTimeout.isZero()) {
      throw new IllegalArgumentException("authCacheTtl must be >= 0 and statementTimeout > 0");
    }
    if (maxRequestBytes < 1) {
      throw new IllegalArgumentException("maxRequestBytes must be positive");
    }
    if (maxConcurrentReads < 1) {
      throw new IllegalArgumentException("maxConcurrentReads must be positive, was " + maxConcurrentReads);
    }
    modules = List.copyOf(modules);
  }

  /**
   * Defaults: system clock, keys remembered 5 s, reads stopped after 10 s, bodies up to 64 KiB, {@link
   * #defaultConcurrentReads} reads at once taking turns round their callers, no modules.
   */
  public static ApiConfig of(DataSource dataSource) {
    return new ApiConfig(dataSource, Clock.systemUTC(), Duration.ofSeconds(5), Duration.ofSeconds(10), 64 * 1024,
        defaultConcurrentReads(), true, List.of());
  }

  /**
   * Two reads per core, plus two: a read spends part of its time waiting for PostgreSQL, but more at once than this
   * only shares the cores among more threads. Measured on 2 cores (docs/benchmarks.md, issue 6): 6 at once served
   * the first page 25-35% faster with half the p99 of Jetty's 250 threads all running reads.
   */
  public static int defaultConcurrentReads() {
    return 2 * Runtime.getRuntime().availableProcessors() + 2;
  }

  public ApiConfig withModules(List<RouteModule> newModules) {
    return new ApiConfig(dataSource, clock, authCacheTtl, statementTimeout, maxRequestBytes, maxConcurrentReads,
        fairReads, newModules);
  }

  public ApiConfig withClock(Clock newClock) {
    return new ApiConfig(dataSource, newClock, authCacheTtl, statementTimeout, maxRequestBytes, maxConcurrentReads,
        fairReads, modules);
  }

  public ApiConfig withAuthCacheTtl(Duration ttl) {
    return new ApiConfig(dataSource, clock, ttl, statementTimeout, maxRequestBytes, maxConcurrentReads, fairReads,
        modules);
  }

  public ApiConfig withStatementTimeout(Duration timeout) {
    return new ApiConfig(dataSource, clock, authCacheTtl, timeout, maxRequestBytes, maxConcurrentReads, fairReads,
        modules);
  }

  public ApiConfig withMaxConcurrentReads(int reads) {
    return new ApiConfig(dataSource, clock, authCacheTtl, statementTimeout, maxRequestBytes, reads, fairReads,
        modules);
  }

  /**
   * True (the default): waiting reads take turns round their callers, so one tenant's backlog does not hold up the
   * others. False: in arrival order, which gives callers with equal loads a shorter tail (docs/benchmarks.md).
   */
  public ApiConfig withFairReads(boolean fair) {
    return new ApiConfig(dataSource, clock, authCacheTtl, statementTimeout, maxRequestBytes, maxConcurrentReads, fair,
        modules);
  }
}
