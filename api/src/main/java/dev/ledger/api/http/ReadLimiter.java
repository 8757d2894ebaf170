package dev.ledger.api.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ledger.api.Problem;
import dev.ledger.api.auth.Authenticator;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.QoSHandler;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How many reads (GET and HEAD) the API runs at once. A read beyond that waits for its turn suspended, without a
 * thread, in arrival order; one that waited longer than {@code maxWait}, or arrives when {@code maxWaiting} already
 * wait, is answered 503 with a problem+json body and {@code Retry-After}. Commands (POST and the other verbs) are
 * not counted: one that waits for Kafka or for a projection ({@code ?wait=true}) never holds a read's turn, and a
 * read never holds up a command. {@code /health} and {@code /openapi.json} are not counted either.
 *
 * <p>Turns are shared between callers: a waiting read whose caller had fewer reads in the API when it arrived
 * (running or waiting) gets the next turn before those of a caller that had more, so one tenant's many reads, or
 * a dashboard's heavy ones, cannot make every other tenant's reads wait behind them. The caller is known from a
 * key the API accepted recently ({@code tenantOf}, no lookup); reads with no such key (none, or one not seen yet)
 * come last. Reads of the same standing keep their order of arrival.
 *
 * <p>Why: on a machine with few cores, every thread that runs a read also parses, maps and writes JSON; Jetty's
 * 250 threads all doing that at once only share the cores among more threads and make the slowest answers wait
 * for time slices (docs/benchmarks.md, issue 6).
 */
public final class ReadLimiter extends QoSHandler {
  /** How many reads may wait for a turn before more are refused at once (the API's setting). */
  public static final int MAX_WAITING = 1024;

  private static final Logger LOG = LoggerFactory.getLogger(ReadLimiter.class);
  /** Refusals are logged at most this often, with their count: an overload must not flood the log as well. */
  private static final Duration LOG_EVERY = Duration.ofSeconds(10);
  /** Priorities of known callers: one with no other read in gets the highest, one with this many more the lowest. */
  private static final int CALLER_LEVELS = 8;
  private static final String PRIORITY = ReadLimiter.class.getName() + ".priority";

  private final ObjectMapper json;
  private final Function<Request, String> tenantOf;
  /** Reads in the API per known caller, running or waiting; a caller with none has no entry. */
  private final Map<String, Integer> readsIn = new ConcurrentHashMap<>();
  private final AtomicLong refusedSinceLog = new AtomicLong();
  private final AtomicLong lastLogNanos = new AtomicLong(System.nanoTime() - LOG_EVERY.toNanos());

  /**
   * {@code tenantOf} names who sends a request from what it carries (null when not known yet); it runs for every
   * read before its turn, so it must answer from memory.
   */
  public ReadLimiter(int maxConcurrent, int maxWaiting, Duration maxWait, Function<Request, String> tenantOf,
      ObjectMapper json) {
    if (maxConcurrent < 1 || maxWaiting < 0 || maxWait.isNegative() || maxWait.isZero()) {
      throw new IllegalArgumentException("maxConcurrent must be positive, maxWaiting not negative and maxWait "
          + "positive; were " + maxConcurrent + ", " + maxWaiting + ", " + maxWait);
    }
    this.json = json;
    this.tenantOf = tenantOf;
    setMaxRequestCount(maxConcurrent);
    setMaxSuspendedRequestCount(maxWaiting);
    setMaxSuspend(maxWait);
    includeMethod("GET", "HEAD");
    excludePath(Authenticator.PUBLIC.toArray(String[]::new));
  }

  @Override
  public boolean onConditionsMet(Request request, Response response, Callback callback) throws Exception {
    String tenant = request.getAttribute(PRIORITY) == null ? tenantOf.apply(request) : null;
    if (tenant != null) {
      int reads = readsIn.merge(tenant, 1, Integer::sum);
      request.setAttribute(PRIORITY, Math.max(1, CALLER_LEVELS + 1 - reads));
      Request.addCompletionListener(request,
          failure -> readsIn.computeIfPresent(tenant, (k, n) -> n == 1 ? null : n - 1));
    }
    return super.onConditionsMet(request, response, callback);
  }

  /** 0 for a read of an unknown caller; otherwise the higher, the fewer reads its caller had in when it arrived. */
  @Override
  protected int getPriority(Request request) {
    return request.getAttribute(PRIORITY) instanceof Integer priority ? priority : 0;
  }

  /** How many reads each known caller has in the API now, running or waiting (for the log and the tests). */
  public Map<String, Integer> readsByCaller() {
    return Map.copyOf(readsIn);
  }

  /** Refused at arrival: {@code maxWaiting} reads wait already. */
  @Override
  protected void reject(Request request, Response response, Callback callback, int status) {
    busy(response, callback, "the API is busy: " + getMaxRequestCount() + " reads are running and "
        + getSuspendedRequestCount() + " are waiting for a turn; retry in a moment");
  }

  /**
   * Waited too long for a turn: 503. QoSHandler also comes here for a read that had its turn and then failed (a
   * handler that threw, or handled nothing); those keep Jetty's own answer with their own status.
   */
  @Override
  protected void failSuspended(Request request, Response response, Callback callback, int status,
      Throwable failure) {
    if (!(failure instanceof TimeoutException)) {
      super.failSuspended(request, response, callback, status, failure);
      return;
    }
    busy(response, callback, "the API is busy: this read waited " + getMaxSuspend().toMillis()
        + " ms for one of its " + getMaxRequestCount() + " turns; retry in a moment");
  }

  /** The caller with the most reads in, for the operator's log only (never in a response: it names a tenant). */
  private String busiest() {
    return readsIn.entrySet().stream().max(Map.Entry.comparingByValue())
        .map(e -> "most reads in: " + e.getKey() + " with " + e.getValue() + " of " + readsIn.size() + " known callers")
        .orElse("no known caller has reads in");
  }

  private void busy(Response response, Callback callback, String detail) {
    long refused = refusedSinceLog.incrementAndGet();
    long now = System.nanoTime();
    long last = lastLogNanos.get();
    if (now - last >= LOG_EVERY.toNanos() && lastLogNanos.compareAndSet(last, now)) {
      refusedSinceLog.addAndGet(-refused);
      LOG.warn("{} read(s) answered 503 since the last such message (at most {} run at once, {} wait at most {} ms;"
          + " ledger dev --api-max-reads): {}; {}", refused, getMaxRequestCount(), getMaxSuspendedRequestCount(),
          getMaxSuspend().toMillis(), detail, busiest());
    }
    byte[] body;
    try {
      body = json.writeValueAsBytes(Problem.of(503, "Service Unavailable", detail));
    } catch (JsonProcessingException e) {
      callback.failed(e);
      return;
    }
    response.setStatus(503);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, Problem.CONTENT_TYPE);
    response.getHeaders().put(HttpHeader.RETRY_AFTER, "1");
    response.write(true, ByteBuffer.wrap(body), callback);
  }
}
