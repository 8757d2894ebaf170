package dev.ledger.api.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ledger.api.Problem;
import dev.ledger.api.auth.Authenticator;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ConditionalHandler;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.Scheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How many reads (GET and HEAD) the API runs at once. A read beyond that waits for its turn suspended, without a
 * thread; one that waited longer than {@code maxWait}, or arrives when {@code maxWaiting} already wait, is answered
 * 503 with a problem+json body and {@code Retry-After}. Commands (POST and the other verbs) are not counted: one
 * that waits for Kafka or for a projection ({@code ?wait=true}) never holds a read's turn, and a read never holds
 * up a command. {@code /health} and {@code /openapi.json} are not counted either.
 *
 * <p>Turns go round the callers that have reads waiting, one read each in turn, each caller's own reads in their
 * order of arrival: so one tenant's backlog (a busy dashboard, a script) delays another tenant's read by at most
 * one read of each caller waiting, not by the whole backlog. Callers with equal loads share the turns equally; the
 * price is a longer tail for them than one queue gives (p99 up ~50% for the aggregate read when ten partners all
 * overload the API at once, docs/benchmarks.md). The caller is named by {@code tenantOf} from what the request
 * carries (the API: a key it accepted before, without a lookup); reads it cannot name (no key, an unknown one)
 * share one place in the round together.
 *
 * <p>Why limit at all: on a machine with few cores, every thread that runs a read also parses, maps and writes
 * JSON; Jetty's 250 threads all doing that at once only share the cores among more threads and make the slowest
 * answers wait for time slices (docs/benchmarks.md, issue 6).
 */
public final class ReadLimiter extends ConditionalHandler.ElseNext {
  /** How many reads may wait for a turn before more are refused at once (the API's setting). */
  public static final int MAX_WAITING = 1024;

  private static final Logger LOG = LoggerFactory.getLogger(ReadLimiter.class);
  /** Refusals are logged at most this often, with their count: an overload must not flood the log as well. */
  private static final Duration LOG_EVERY = Duration.ofSeconds(10);
  /** The place in the round of reads whose caller is not known. */
  private static final String UNKNOWN = "";

  private final int maxRunning;
  private final int maxWaiting;
  private final Duration maxWait;
  private final Function<Request, String> tenantOf;
  private final ObjectMapper json;
  private final AtomicLong refusedSinceLog = new AtomicLong();
  private final AtomicLong lastLogNanos = new AtomicLong(System.nanoTime() - LOG_EVERY.toNanos());
  /** Reads in the API per known caller, running or waiting; a caller with none has no entry. */
  private final Map<String, Integer> readsIn = new ConcurrentHashMap<>();

  /** Guards the turns: {@link #running}, {@link #waiting}, {@link #queues} and {@link #round}. */
  private final Object turns = new Object();
  private int running;
  private int waiting;
  /** The waiting reads of each caller that has any, in order of arrival. */
  private final Map<String, ArrayDeque<Waiting>> queues = new HashMap<>();
  /** The callers with waiting reads, each once, in the order their next read gets a turn. */
  private final ArrayDeque<String> round = new ArrayDeque<>();
  private Scheduler scheduler;

  /**
   * {@code tenantOf} names who sends a request from what it carries (null when not known); it runs for every read
   * before its turn, so it must answer from memory.
   */
  public ReadLimiter(int maxConcurrent, int maxWaiting, Duration maxWait, Function<Request, String> tenantOf,
      ObjectMapper json) {
    if (maxConcurrent < 1 || maxWaiting < 0 || maxWait.isNegative() || maxWait.isZero()) {
      throw new IllegalArgumentException("maxConcurrent must be positive, maxWaiting not negative and maxWait "
          + "positive; were " + maxConcurrent + ", " + maxWaiting + ", " + maxWait);
    }
    this.maxRunning = maxConcurrent;
    this.maxWaiting = maxWaiting;
    this.maxWait = maxWait;
    this.tenantOf = tenantOf;
    this.json = json;
    includeMethod("GET", "HEAD");
    excludePath(Authenticator.PUBLIC.toArray(String[]::new));
  }

  /** A read waiting for its turn. */
  private final class Waiting implements Runnable {
    private final String caller;
    private final Request request;
    private final Response response;
    private final Callback callback;
    /** Set under {@link #turns} when the read leaves its queue: given a turn, or expired. */
    private boolean left;
    private volatile Scheduler.Task expiry;

    private Waiting(String caller, Request request, Response response, Callback callback) {
      this.caller = caller;
      this.request = request;
      this.response = response;
      this.callback = callback;
    }

    /** Its turn has come: run it, on a thread of the server's pool. */
    @Override
    public void run() {
      try {
        if (!withTurn(request, response, callback)) {
          Response.writeError(request, response, callback, 404);
        }
      } catch (Throwable failure) {
        LOG.warn("a read failed after waiting for its turn: {} {}", request.getMethod(), request.getHttpURI(),
            failure);
        Response.writeError(request, response, callback, 500, null, failure);
      }
    }
  }

  @Override
  protected void doStart() throws Exception {
    scheduler = getServer().getScheduler();
    super.doStart();
  }

  @Override
  protected boolean onConditionsMet(Request request, Response response, Callback callback) throws Exception {
    String known = tenantOf.apply(request);
    if (known != null) {
      readsIn.merge(known, 1, Integer::sum);
      Request.addCompletionListener(request,
          failure -> readsIn.computeIfPresent(known, (k, n) -> n == 1 ? null : n - 1));
    }
    Waiting queued = null;
    boolean full = false;
    synchronized (turns) {
      if (running < maxRunning) {
        running++;
      } else if (waiting >= maxWaiting) {
        full = true;
      } else {
        String caller = known == null ? UNKNOWN : known;
        queued = new Waiting(caller, request, response, callback);
        queues.computeIfAbsent(caller, c -> {
          round.addLast(c);
          return new ArrayDeque<>();
        }).addLast(queued);
        waiting++;
      }
    }
    if (full) {
      busy(response, callback, "the API is busy: " + maxRunning + " reads are running and " + waiting()
          + " are waiting for a turn; retry in a moment");
      return true;
    }
    if (queued != null) {
      Waiting read = queued;
      read.expiry = scheduler.schedule(() -> expire(read), maxWait.toMillis(), TimeUnit.MILLISECONDS);
      return true;
    }
    return withTurn(request, response, callback);
  }

  /** Runs a read that holds a turn; the turn passes on when the request completes, however it completes. */
  private boolean withTurn(Request request, Response response, Callback callback) throws Exception {
    Request.addCompletionListener(request, failure -> passTurn());
    return nextHandler(request, response, callback);
  }

  /** A read with a turn completed: the turn goes to the next caller in the round, or is free. */
  private void passTurn() {
    Waiting next;
    synchronized (turns) {
      next = nextInRound();
      if (next == null) {
        running--;
      } else {
        waiting--;
      }
    }
    if (next != null) {
      Scheduler.Task expiry = next.expiry;
      if (expiry != null) {
        expiry.cancel();
      }
      next.request.getContext().execute(next);
    }
  }

  /** Under {@link #turns}: the next waiting read, taken from the first caller of the round, who goes to its end. */
  private Waiting nextInRound() {
    String caller = round.pollFirst();
    if (caller == null) {
      return null;
    }
    ArrayDeque<Waiting> queue = queues.get(caller);
    Waiting next = queue.pollFirst();
    if (queue.isEmpty()) {
      queues.remove(caller);
    } else {
      round.addLast(caller);
    }
    next.left = true;
    return next;
  }

  /** Waited too long for a turn: 503, unless the turn came first. */
  private void expire(Waiting read) {
    synchronized (turns) {
      if (read.left) {
        return;
      }
      read.left = true;
      ArrayDeque<Waiting> queue = queues.get(read.caller);
      queue.remove(read);
      if (queue.isEmpty()) {
        queues.remove(read.caller);
        round.remove(read.caller);
      }
      waiting--;
    }
    read.request.getContext().execute(() -> busy(read.response, read.callback, "the API is busy: this read waited "
        + maxWait.toMillis() + " ms for one of its " + maxRunning + " turns; retry in a moment"));
  }

  /** Reads waiting for a turn now. */
  public int waiting() {
    synchronized (turns) {
      return waiting;
    }
  }

  /** How many reads each known caller has in the API now, running or waiting (for the log and the tests). */
  public Map<String, Integer> readsByCaller() {
    return Map.copyOf(readsIn);
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
          + " ledger dev --api-max-reads): {}; {}", refused, maxRunning, maxWaiting, maxWait.toMillis(), detail,
          busiest());
    }
    if (response.isCommitted()) {
      callback.failed(new IllegalStateException("response already committed"));
      return;
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
