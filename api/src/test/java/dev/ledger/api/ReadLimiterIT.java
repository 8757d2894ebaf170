package dev.ledger.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ledger.testkit.Await;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The API as started for real runs at most {@link ApiConfig#defaultConcurrentReads} reads at once: one more waits
 * its turn, while a command still passes (a test module's GET route that blocks, and a POST route, both under
 * {@code /v1} with a partner key).
 */
class ReadLimiterIT {
  private static final CountDownLatch RELEASE = new CountDownLatch(1);
  private static final AtomicInteger RUNNING = new AtomicInteger();
  private static ApiFixture f;

  @BeforeAll
  static void start() throws Exception {
    RouteModule blocking = (routes, api) -> {
      routes.get("/v1/test/block", ctx -> {
        RUNNING.incrementAndGet();
        try {
          RELEASE.await(60, TimeUnit.SECONDS);
        } finally {
          RUNNING.decrementAndGet();
        }
        ctx.result("done");
      });
      routes.post("/v1/test/command", ctx -> ctx.result("accepted"));
    };
    // Reads wait for a turn at most as long as the statement timeout: a long one, so that a slow machine's start of
    // the blocked reads cannot turn the waiting one into a 503.
    f = new ApiFixture("read_limiter_it", List.of(blocking),
        config -> config.withStatementTimeout(Duration.ofMinutes(2)));
  }

  @AfterAll
  static void stop() {
    RELEASE.countDown();
    f.close();
  }

  @Test
  void onlyTheConfiguredNumberOfReadsRunAtOnceAndCommandsStillPass() throws Exception {
    int limit = ApiConfig.defaultConcurrentReads();
    ExecutorService clients = Executors.newFixedThreadPool(limit + 1);
    List<CompletableFuture<HttpResponse<String>>> reads = new ArrayList<>();
    for (int i = 0; i <= limit; i++) {
      reads.add(CompletableFuture.supplyAsync(() -> get("/v1/test/block"), clients));
    }
    Await.until("the first " + limit + " reads running", Duration.ofSeconds(30), () -> RUNNING.get() == limit);
    // The one read more reached the server and waits for a turn, held by the limiter.
    Await.until("one read waiting for a turn", Duration.ofSeconds(30), () -> f.api.readsWaiting() == 1);
    assertThat(RUNNING.get()).isEqualTo(limit);
    HttpResponse<String> command = f.send(f.p1Key, "POST", "/v1/test/command", "{}");
    assertThat(command.statusCode()).isEqualTo(200);
    assertThat(command.body()).isEqualTo("accepted");
    RELEASE.countDown();
    for (CompletableFuture<HttpResponse<String>> read : reads) {
      HttpResponse<String> response = read.get(30, TimeUnit.SECONDS);
      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.body()).isEqualTo("done");
    }
    clients.shutdown();
  }

  private static HttpResponse<String> get(String path) {
    try {
      return f.get(f.p1Key, path);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
