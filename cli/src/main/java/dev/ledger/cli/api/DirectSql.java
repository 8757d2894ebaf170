package dev.ledger.cli.api;

import dev.ledger.cli.bench.BenchResult;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntFunction;

/**
 * The API's SQL run directly against PostgreSQL over plain JDBC, one connection per client thread: each
 * "request" is the given statements sent as one pipelined exchange on a connection in auto-commit (one implicit
 * transaction, one round trip), as {@code ReadStore.readSite} sends them, every row and column of every result read.
 * pgjdbc turns a statement run five times into a server-side prepared one, as it does for the API.
 */
final class DirectSql {
  /** What a run measured; latencies in microseconds. */
  record Result(long requests, Duration elapsed, long p50Micros, long p99Micros) {
    double perSecond() {
      return requests / (elapsed.toNanos() / 1e9);
    }
  }

  private DirectSql() {}

  /**
   * Runs the transaction of {@code steps} from {@code clients} threads for {@code duration}; {@code values(i)}
   * gives the named values of the i-th request of a thread, whose requests are numbered from its own start.
   */
  static Result run(String jdbcUrl, Properties props, List<NamedSql> steps, int clients, Duration duration,
      IntFunction<Map<String, Object>> values) throws Exception {
    CountDownLatch ready = new CountDownLatch(clients);
    CountDownLatch go = new CountDownLatch(1);
    AtomicReference<Throwable> failure = new AtomicReference<>();
    long[][] latencies = new long[clients][];
    int[] counts = new int[clients];
    long[] ends = new long[clients];
    long[] startAt = new long[1];
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < clients; t++) {
      int client = t;
      Thread thread = new Thread(() -> {
        try (Connection c = DriverManager.getConnection(jdbcUrl, props)) {
          c.setAutoCommit(true);
          NamedSql exchange = NamedSql.join(steps);
          PreparedStatement statement = c.prepareStatement(exchange.jdbc());
          long[] mine = new long[1 << 14];
          int n = 0;
          ready.countDown();
          go.await();
          long end = startAt[0] + duration.toNanos();
          for (int i = client * 7919; ; i++) {
            long t0 = System.nanoTime();
            if (t0 >= end) {
              break;
            }
            execute(statement, exchange, values.apply(i));
            if (n == mine.length) {
              mine = Arrays.copyOf(mine, n * 2);
            }
            mine[n++] = (System.nanoTime() - t0) / 1_000;
          }
          ends[client] = System.nanoTime();
          latencies[client] = mine;
          counts[client] = n;
        } catch (Throwable e) {
          failure.compareAndSet(null, e);
          ready.countDown();
        }
      }, "direct-sql-" + t);
      thread.start();
      threads.add(thread);
    }
    ready.await();
    startAt[0] = System.nanoTime();
    go.countDown();
    for (Thread thread : threads) {
      thread.join();
    }
    if (failure.get() != null) {
      throw new IllegalStateException("direct SQL failed: " + failure.get(), failure.get());
    }
    long last = Arrays.stream(ends).max().orElse(startAt[0]);
    int total = Arrays.stream(counts).sum();
    long[] all = new long[total];
    int at = 0;
    for (int t = 0; t < clients; t++) {
      System.arraycopy(latencies[t], 0, all, at, counts[t]);
      at += counts[t];
    }
    Arrays.sort(all);
    return new Result(total, Duration.ofNanos(last - startAt[0]), BenchResult.percentile(all, 50),
        BenchResult.percentile(all, 99));
  }

  private static void execute(PreparedStatement ps, NamedSql sql, Map<String, Object> values)
      throws SQLException {
    List<String> names = sql.names();
    for (int k = 0; k < names.size(); k++) {
      if (!values.containsKey(names.get(k))) {
        throw new IllegalArgumentException("no value for :" + names.get(k));
      }
      ps.setObject(k + 1, values.get(names.get(k)));
    }
    boolean more = ps.execute();
    while (more) {
      try (ResultSet rs = ps.getResultSet()) {
        int columns = rs.getMetaData().getColumnCount();
        while (rs.next()) {
          for (int col = 1; col <= columns; col++) {
            rs.getObject(col);
          }
        }
      }
      more = ps.getMoreResults();
    }
  }
}
