package dev.ledger.api.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ledger.api.Problem;
import dev.ledger.testkit.Await;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The read limiter on a real Jetty server: reads beyond the limit wait without a thread and run in turn; a read
 * that waits too long, or finds the waiting room full, gets a 503 problem; commands and the public paths are
 * never held back by reads; turns go round the callers with reads waiting.
 */
class ReadLimiterTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final String TENANT = "X-Tenant";

  private final HttpClient http = HttpClient.newHttpClient();
  /** Requests to {@code /block} wait on this until the test releases them. */
  private final CountDownLatch release = new CountDownLatch(1);
  private final AtomicInteger running = new AtomicInteger();
  private final AtomicInteger mostAtOnce = new AtomicInteger();
  /** The {@code id} query parameter of each request, in the order the handler started them. */
  private final Queue<String> started = new ConcurrentLinkedQueue<>();
  private Server server;
  private ReadLimiter limiter;

  @AfterEach
  void stop() throws Exception {
    release.countDown();
    if (server != null) {
      server.stop();
    }
  }

  @Test
  void readsBeyondTheLimitWaitTheirTurnAndAllAnswer() throws Exception {
    start(2, 100, Duration.ofSeconds(30));
    CompletableFuture<?>[] reads = new CompletableFuture<?>[6];
    for (int i = 0; i < reads.length; i++) {
      reads[i] = send("GET", "/block");
    }
    Await.until("two reads running", WAIT, () -> running.get() == 2);
    // Two run, four wait for a turn (they reached the server: the limiter holds them), none answered.
    Await.until("four reads waiting for a turn", WAIT, () -> limiter.waiting() == 4);
    assertThat(java.util.Arrays.stream(reads).filter(CompletableFuture::isDone).count()).isZero();
    assertThat(running.get()).isEqualTo(2);
    release.countDown();
    for (CompletableFuture<?> read : reads) {
      assertThat(((HttpResponse<?>) read.get(20, TimeUnit.SECONDS)).statusCode()).isEqualTo(200);
    }
    assertThat(mostAtOnce.get()).isEqualTo(2);
  }

  @Test
  void commandsAndPublicPathsPassWhileEveryReadTurnIsTaken() throws Exception {
    CompletableFuture<HttpResponse<String>> blocked = startWithOneBlockedRead(100, Duration.ofSeconds(30));
    assertThat(status("POST", "/command")).isEqualTo(200);
    assertThat(status("GET", "/health")).isEqualTo(200);
    assertThat(blocked).isNotDone();
    release.countDown();
    assertThat(blocked.get(20, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
  }

  @Test
  void aReadThatWaitsTooLongIsAnswered503WithAProblem() throws Exception {
    CompletableFuture<HttpResponse<String>> blocked = startWithOneBlockedRead(100, Duration.ofMillis(200));
    assertBusy(send("GET", "/quick").get(20, TimeUnit.SECONDS), "waited 200 ms for one of its 1 turns");
    release.countDown();
    assertThat(blocked.get(20, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
  }

  @Test
  void aReadThatFindsTheWaitingRoomFullIsAnswered503AtOnce() throws Exception {
    CompletableFuture<HttpResponse<String>> blocked = startWithOneBlockedRead(0, Duration.ofSeconds(30));
    assertBusy(send("GET", "/quick").get(20, TimeUnit.SECONDS), "1 reads are running and 0 are waiting");
    release.countDown();
    assertThat(blocked.get(20, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
    // The turn comes back once that read has completed, which the client may see a moment before the server does.
    Await.until("a read served once the turn came back", WAIT, () -> status("GET", "/quick") == 200);
  }

  @Test
  void aReadThatFailsAfterItsTurnKeepsItsOwnStatus() throws Exception {
    CompletableFuture<HttpResponse<String>> blocked = startWithOneBlockedRead(100, Duration.ofSeconds(30));
    // Waits for its turn, then the handler throws: a 500 from Jetty, not a 503 "busy".
    CompletableFuture<HttpResponse<String>> failing = send("GET", "/fail");
    Await.until("the failing read waiting for a turn", WAIT, () -> limiter.waiting() == 1);
    release.countDown();
    assertThat(blocked.get(20, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
    assertThat(failing.get(20, TimeUnit.SECONDS).statusCode()).isEqualTo(500);
  }

  @Test
  void turnsGoRoundTheCallersSoOneCallersBacklogDelaysAnotherByOneReadOnly() throws Exception {
    CompletableFuture<HttpResponse<String>> blocked = startWithOneBlockedRead(100, Duration.ofSeconds(30));
    // Waiting in this order of arrival: three more of a's, then b's first, then one without a known caller.
    List<CompletableFuture<HttpResponse<String>>> waiting = new ArrayList<>();
    String[][] arrivals = {{"a2", "a"}, {"a3", "a"}, {"a4", "a"}, {"b1", "b"}, {"anonymous", null}};
    for (String[] arrival : arrivals) {
      waiting.add(send("GET", "/quick?id=" + arrival[0], arrival[1]));
      int expected = waiting.size();
      Await.until(arrival[0] + " waiting", WAIT, () -> limiter.waiting() == expected);
    }
    assertThat(limiter.readsByCaller()).isEqualTo(Map.of("a", 4, "b", 1));
    release.countDown();
    assertThat(blocked.get(20, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
    for (CompletableFuture<HttpResponse<String>> read : waiting) {
      assertThat(read.get(20, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
    }
    // One read of each caller in turn, each caller's in arrival order; the unknown callers share one place.
    assertThat(started).containsExactly("a1", "a2", "b1", "anonymous", "a3", "a4");
    Await.until("no reads left in", WAIT, () -> limiter.readsByCaller().isEmpty());
  }

  @Test
  void aReadWhoseTurnExpiredLeavesTheRoundToTheOthers() throws Exception {
    CompletableFuture<HttpResponse<String>> blocked = startWithOneBlockedRead(100, Duration.ofMillis(300));
    assertBusy(send("GET", "/quick?id=b1", "b").get(20, TimeUnit.SECONDS), "waited 300 ms");
    assertThat(limiter.waiting()).isZero();
    release.countDown();
    assertThat(blocked.get(20, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
    // The expired read left no trace in the round: the turn comes back and the next read of b runs.
    Await.until("b served once the turn came back", WAIT, () -> status("GET", "/quick?id=b2") == 200);
    assertThat(started).containsExactly("a1", "b2");
  }

  @Test
  void rejectsNonsenseSettings() {
    org.assertj.core.api.Assertions.assertThatThrownBy(
        () -> new ReadLimiter(0, 1, Duration.ofSeconds(1), r -> null, JSON))
        .isInstanceOf(IllegalArgumentException.class);
    org.assertj.core.api.Assertions.assertThatThrownBy(
        () -> new ReadLimiter(1, -1, Duration.ofSeconds(1), r -> null, JSON))
        .isInstanceOf(IllegalArgumentException.class);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> new ReadLimiter(1, 1, Duration.ZERO, r -> null, JSON))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private static void assertBusy(HttpResponse<String> response, String detail) throws Exception {
    assertThat(response.statusCode()).isEqualTo(503);
    assertThat(response.headers().firstValue("Content-Type")).hasValue(Problem.CONTENT_TYPE);
    assertThat(response.headers().firstValue("Retry-After")).hasValue("1");
    JsonNode problem = JSON.readTree(response.body());
    assertThat(problem.path("status").asInt()).isEqualTo(503);
    assertThat(problem.path("detail").asText()).contains(detail);
  }

  private void start(int maxConcurrent, int maxWaiting, Duration maxWait) throws Exception {
    server = new Server();
    ServerConnector connector = new ServerConnector(server);
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    server.addConnector(connector);
    limiter = new ReadLimiter(maxConcurrent, maxWaiting, maxWait, request -> request.getHeaders().get(TENANT), JSON);
    limiter.setHandler(new Handler.Abstract() {
      @Override
      public boolean handle(Request request, Response response, Callback callback) throws Exception {
        int now = running.incrementAndGet();
        String id = Request.extractQueryParameters(request).getValue("id");
        if (id != null) {
          started.add(id);
        }
        mostAtOnce.accumulateAndGet(now, Math::max);
        try {
          String path = Request.getPathInContext(request);
          if (path.equals("/block")) {
            release.await(30, TimeUnit.SECONDS);
          }
          if (path.equals("/fail")) {
            throw new IllegalStateException("a handler that fails");
          }
        } finally {
          running.decrementAndGet();
        }
        response.setStatus(200);
        response.write(true, ByteBuffer.wrap("ok".getBytes(StandardCharsets.UTF_8)), callback);
        return true;
      }
    });
    server.setHandler(limiter);
    server.start();
  }

  private CompletableFuture<HttpResponse<String>> send(String method, String path) {
    return send(method, path, null);
  }

  /** Sends a request as {@code tenant} (the test's stand-in for a caller known by its key), or as nobody known. */
  private CompletableFuture<HttpResponse<String>> send(String method, String path, String tenant) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
            + ((ServerConnector) server.getConnectors()[0]).getLocalPort() + path))
        .method(method, HttpRequest.BodyPublishers.noBody()).version(HttpClient.Version.HTTP_1_1)
        .timeout(Duration.ofSeconds(30));
    if (tenant != null) {
      request.header(TENANT, tenant);
    }
    return http.sendAsync(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  /**
   * Starts a server with one turn and takes it with a read of caller {@code a} (id {@code a1}) that blocks until the
   * test releases it.
   */
  private CompletableFuture<HttpResponse<String>> startWithOneBlockedRead(int maxWaiting, Duration maxWait)
      throws Exception {
    start(1, maxWaiting, maxWait);
    CompletableFuture<HttpResponse<String>> blocked = send("GET", "/block?id=a1", "a");
    Await.until("the blocking read running", WAIT, () -> running.get() == 1);
    return blocked;
  }

  /** The status of one request, waited for. */
  private int status(String method, String path) {
    try {
      return send(method, path).get(20, TimeUnit.SECONDS).statusCode();
    } catch (Exception e) {
      throw new IllegalStateException(method + " " + path + " failed", e);
    }
  }
}
