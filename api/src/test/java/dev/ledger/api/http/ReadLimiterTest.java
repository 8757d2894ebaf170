package dev.ledger.api.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ledger.api.Problem;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
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
 * never held back by reads.
 */
class ReadLimiterTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpClient http = HttpClient.newHttpClient();
  /** Requests to {@code /block} wait on this until the test releases them. */
  private final CountDownLatch release = new CountDownLatch(1);
  private final AtomicInteger running = new AtomicInteger();
  private final AtomicInteger mostAtOnce = new AtomicInteger();
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
    awaitRunning(2);
    // Two run, four wait for a turn (they reached the server: the limiter holds them), none answered.
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (limiter.getSuspendedRequestCount() < 4 && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertThat(limiter.getSuspendedRequestCount()).isEqualTo(4);
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
    start(1, 100, Duration.ofSeconds(30));
    CompletableFuture<HttpResponse<String>> blocked = send("GET", "/block");
    awaitRunning(1);
    assertThat(send("POST", "/command").get(20, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
    assertThat(send("GET", "/health").get(20, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
    assertThat(blocked).isNotDone();
    release.countDown();
    assertThat(blocked.get(20, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
  }

  @Test
  void aReadThatWaitsTooLongIsAnswered503WithAProblem() throws Exception {
    start(1, 100, Duration.ofMillis(200));
    CompletableFuture<HttpResponse<String>> blocked = send("GET", "/block");
    awaitRunning(1);
    HttpResponse<String> late = send("GET", "/quick").get(20, TimeUnit.SECONDS);
    assertBusy(late, "waited 200 ms for one of its 1 turns");
    release.countDown();
    assertThat(blocked.get(20, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
  }

  @Test
  void aReadThatFindsTheWaitingRoomFullIsAnswered503AtOnce() throws Exception {
    start(1, 0, Duration.ofSeconds(30));
    CompletableFuture<HttpResponse<String>> blocked = send("GET", "/block");
    awaitRunning(1);
    HttpResponse<String> refused = send("GET", "/quick").get(20, TimeUnit.SECONDS);
    assertBusy(refused, "1 reads are running and 0 are waiting");
    release.countDown();
    assertThat(blocked.get(20, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
    // The turn comes back once that read has completed, which the client may see a moment before the server does.
    int status = 0;
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (status != 200 && System.nanoTime() < deadline) {
      status = send("GET", "/quick").get(20, TimeUnit.SECONDS).statusCode();
      if (status != 200) {
        Thread.sleep(20);
      }
    }
    assertThat(status).isEqualTo(200);
  }

  @Test
  void aReadThatFailsAfterItsTurnKeepsItsOwnStatus() throws Exception {
    start(1, 100, Duration.ofSeconds(30));
    CompletableFuture<HttpResponse<String>> blocked = send("GET", "/block");
    awaitRunning(1);
    // Waits for its turn, then the handler throws: a 500 from Jetty, not a 503 "busy".
    CompletableFuture<HttpResponse<String>> failing = send("GET", "/fail");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (limiter.getSuspendedRequestCount() < 1 && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    release.countDown();
    assertThat(blocked.get(20, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
    assertThat(failing.get(20, TimeUnit.SECONDS).statusCode()).isEqualTo(500);
  }

  @Test
  void rejectsNonsenseSettings() {
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> new ReadLimiter(0, 1, Duration.ofSeconds(1), JSON))
        .isInstanceOf(IllegalArgumentException.class);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> new ReadLimiter(1, -1, Duration.ofSeconds(1), JSON))
        .isInstanceOf(IllegalArgumentException.class);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> new ReadLimiter(1, 1, Duration.ZERO, JSON))
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
    limiter = new ReadLimiter(maxConcurrent, maxWaiting, maxWait, JSON);
    limiter.setHandler(new Handler.Abstract() {
      @Override
      public boolean handle(Request request, Response response, Callback callback) throws Exception {
        int now = running.incrementAndGet();
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
    return http.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
            + ((ServerConnector) server.getConnectors()[0]).getLocalPort() + path))
        .method(method, HttpRequest.BodyPublishers.noBody()).version(HttpClient.Version.HTTP_1_1)
        .timeout(Duration.ofSeconds(30)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private void awaitRunning(int n) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (running.get() < n) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("only " + running.get() + " of " + n + " reads started");
      }
      Thread.sleep(10);
    }
  }
}
