package dev.ledger.bridge;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.ledger.bridge.Api.NewIncident;
import java.util.Arrays;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Drives a bridge with many concurrent callers for benchmarks: {@code threads} caller threads, each with up to
 * {@code window} recordings in flight, {@code total} incidents; reports the wall time and per-incident latency from
 * the call to the durable acknowledgement. Optionally paced to a fixed rate.
 */
public final class Load {
  /** What one run measured; latencies in microseconds. */
  public record Result(int incidents, long elapsedNanos, long p50Micros, long p99Micros) {
  }

  private Load() {
  }

  /** Records {@code total} incidents as fast as the callers go ({@code ratePerSecond} 0) or paced to that rate. */
  public static Result run(AgentBridge bridge, int total, int threads, int window, double ratePerSecond)
      throws InterruptedException {
    long[] latencies = new long[total];
    AtomicInteger next = new AtomicInteger();
    AtomicReference<Throwable> failure = new AtomicReference<>();
    Thread[] callers = new Thread[threads];
    long start = System.nanoTime();
    for (int t = 0; t < threads; t++) {
      callers[t] = new Thread(() -> {
        Semaphore inFlight = new Semaphore(window);
        for (int i; (i = next.getAndIncrement()) < total && failure.get() == null; ) {
          pace(start, i, ratePerSecond);
          inFlight.acquireUninterruptibly();
          int index = i;
          long sent = System.nanoTime();
          bridge.recordIncident(incident(bridge.config().siteId(), i)).whenComplete((r, e) -> {
            latencies[index] = System.nanoTime() - sent;
            if (e != null) {
              failure.compareAndSet(null, e);
            }
            inFlight.release();
          });
        }
        inFlight.acquireUninterruptibly(window);
      }, "load-" + t);
      callers[t].start();
    }
    for (Thread t : callers) {
      t.join();
    }
    long elapsed = System.nanoTime() - start;
    if (failure.get() != null) {
      throw new IllegalStateException("a recording failed: " + failure.get(), failure.get());
    }
    long[] sorted = latencies.clone();
    Arrays.sort(sorted);
    return new Result(total, elapsed, sorted[total / 2] / 1000, sorted[(int) Math.min(total - 1, total * 0.99)] / 1000);
  }

  private static void pace(long start, int i, double rate) {
    if (rate <= 0) {
      return;
    }
    long due = start + (long) (i * 1e9 / rate);
    long wait = due - System.nanoTime();
    if (wait > 0) {
      try {
        TimeUnit.NANOSECONDS.sleep(wait);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  static NewIncident incident(String site, int i) {
    String[] types = {"firewall_disabled", "av_definitions_stale", "bitlocker_off", "patch_missing", "backup_failed"};
    String type = types[i % types.length];
    return new NewIncident(site, "ws-" + i % 500, type, i % 7 == 0 ? "critical" : "high", "check_" + type,
        "drift", "svc", "error " + i % 40 + " at 10.0.0." + i % 250,
        JsonNodeFactory.instance.objectNode().put("probe", i), null);
  }
}
