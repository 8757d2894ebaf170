package dev.ledger.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ledger.testkit.Await;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The API as started for real runs at most {@link ApiConfig#defaultConcurrentReads} reads at once: one more waits
 * its turn, while a command still passes (a test module's GET route that blocks, and a POST route, both under
 * {@code /v1} with a partner key). Turns go round the partners: one partner's backlog delays another's read by one
 * read only.
 */
class ReadLimiterIT {
  /** Reads of {@code /v1/test/hold} finish one by one as the tests release permits. */
  private static final Semaphore HOLD = new Semaphore(0);
  private static final AtomicInteger HELD = new AtomicInteger();
  /** The {@code id} of each read of {@code /v1/test/seen}, in the order they ran. */
  private static final Queue<String> SEEN = new ConcurrentLinkedQueue<>();
  private static ApiFixture f;

  @BeforeAll
  static void start() throws Exception {
    RouteModule blocking = (routes, api) -> {
      routes.get("/v1/test/hold", ctx -> {
        HELD.incrementAndGet();
        try {
          HOLD.tryAcquire(60, TimeUnit.SECONDS);
        } finally {
          HELD.decrementAndGet();
        }
        ctx.result("done");
      });
      routes.get("/v1/test/seen", ctx -> {
        SEEN.add(ctx.queryParam("id"));
        ctx.result("seen");
      });
      routes.post("/v1/test/command", ctx -> ctx.result("accepted"));
    };
    // Reads wait for a turn at most as long as the statement timeout: a long one, so that a slow machine's start of
    // the blocked reads cannot turn the waiting one into a 503. Accepted keys are remembered (the fixture's default
    // is not to), as the API's own default does: the limiter knows callers from them.
    f = new ApiFixture("read_limiter_it", List.of(blocking),
        config -> config.withStatementTimeout(Duration.ofMinutes(2)).withAuthCacheTtl(Duration.ofMinutes(10)));
  }

  @AfterAll
  static void stop() {
    HOLD.release(1_000);
    f.close();
  }

  @Test
  void onlyTheConfiguredNumberOfReadsRunAtOnceAndCommandsStillPass() throws Exception {
    HOLD.drainPermits(); // none left over from another test
    int limit = ApiConfig.defaultConcurrentReads();
    ExecutorService clients = Executors.newFixedThreadPool(limit + 1);
    List<CompletableFuture<HttpResponse<String>>> reads = new ArrayList<>();
    for (int i = 0; i <= limit; i++) {
      reads.add(CompletableFuture.supplyAsync(() -> get(f.p1Key, "/v1/test/hold"), clients));
    }
    Await.until("the first " + limit + " reads running", Duration.ofSeconds(30), () -> HELD.get() == limit);
    // The one read more reached the server and waits for a turn, held by the limiter.
    Await.until("one read waiting for a turn", Duration.ofSeconds(30), () -> f.api.readsWaiting() == 1);
    assertThat(HELD.get()).isEqualTo(limit);
    HttpResponse<String> command = f.send(f.p1Key, "POST", "/v1/test/command", "{}");
    assertThat(command.statusCode()).isEqualTo(200);
    assertThat(command.body()).isEqualTo("accepted");
    HOLD.release(limit + 1);
    for (CompletableFuture<HttpResponse<String>> read : reads) {
      HttpResponse<String> response = read.get(30, TimeUnit.SECONDS);
      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.body()).isEqualTo("done");
    }
    clients.shutdown();
  }

  @Test
  void turnsGoRoundThePartnersSoOnePartnersBacklogDelaysAnothersReadByOneReadOnly() throws Exception {
    // Both keys accepted once (a command), so the limiter knows their callers before their first read.
    assertThat(f.send(f.p1Key, "POST", "/v1/test/command", "{}").statusCode()).isEqualTo(200);
    assertThat(f.send(f.p2Key, "POST", "/v1/test/command", "{}").statusCode()).isEqualTo(200);
    Await.until("no reads of another test left in", Duration.ofSeconds(30), () -> f.api.readsByCaller().isEmpty());
    HOLD.drainPermits(); // none left over from another test
    int limit = ApiConfig.defaultConcurrentReads();
    ExecutorService clients = Executors.newFixedThreadPool(limit + 3);
    List<CompletableFuture<HttpResponse<String>>> holds = new ArrayList<>();
    for (int i = 0; i < limit; i++) {
      holds.add(CompletableFuture.supplyAsync(() -> get(f.p1Key, "/v1/test/hold"), clients));
    }
    try {
      Await.until("p1 holding every turn", Duration.ofSeconds(30), () -> HELD.get() == limit);
      // Waiting in this order: two more reads of p1, then p2's.
      List<CompletableFuture<HttpResponse<String>>> waiting = new ArrayList<>();
      String[][] arrivals = {{"p1-a", f.p1Key}, {"p1-b", f.p1Key}, {"p2", f.p2Key}};
      for (String[] arrival : arrivals) {
        waiting.add(CompletableFuture.supplyAsync(() -> get(arrival[1], "/v1/test/seen?id=" + arrival[0]), clients));
        int expected = waiting.size();
        Await.until(arrival[0] + " waiting", Duration.ofSeconds(30), () -> f.api.readsWaiting() == expected);
      }
      assertThat(f.api.readsByCaller()).isEqualTo(Map.of("partner:p1", limit + 2, "partner:p2", 1));
      HOLD.release(1); // one turn comes back, and passes on as each read completes
      for (CompletableFuture<HttpResponse<String>> read : waiting) {
        assertThat(read.get(30, TimeUnit.SECONDS).body()).isEqualTo("seen");
      }
      assertThat(SEEN).containsExactly("p1-a", "p2", "p1-b");
    } finally {
      HOLD.release(limit); // the other holds (and, should this test fail, the one above): nothing left blocked
    }
    for (CompletableFuture<HttpResponse<String>> hold : holds) {
      assertThat(hold.get(30, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
    }
    Await.until("no reads left in", Duration.ofSeconds(30), () -> f.api.readsByCaller().isEmpty());
    clients.shutdown();
  }

  private static HttpResponse<String> get(String key, String path) {
    try {
      return f.get(key, path);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
