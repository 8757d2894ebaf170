package dev.ledger.api.health;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The components that {@code GET /health} reports, checked in parallel, each bounded by a timeout so that one
 * hung dependency makes its own line DOWN instead of hanging the endpoint.
 */
public final class HealthRegistry implements AutoCloseable {
  private final Map<String, HealthCheck> checks = new LinkedHashMap<>();
  private final Duration timeout;
  private final ExecutorService executor = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "health-check");
    t.setDaemon(true);
    return t;
  });

  public HealthRegistry(Duration timeout) {
    this.timeout = timeout;
  }

  public synchronized HealthRegistry register(String component, HealthCheck check) {
    checks.put(component, check);
    return this;
  }

  /** Every registered component's state, in registration order. */
  public Map<String, ComponentHealth> checkAll() {
    Map<String, CompletableFuture<ComponentHealth>> running = new LinkedHashMap<>();
    synchronized (this) {
      checks.forEach((name, check) -> running.put(name, CompletableFuture.supplyAsync(check::check, executor)));
    }
    Map<String, ComponentHealth> result = new LinkedHashMap<>();
    long deadline = System.nanoTime() + timeout.toNanos();
    running.forEach((name, future) -> result.put(name, await(future, deadline)));
    return result;
  }

  private ComponentHealth await(CompletableFuture<ComponentHealth> future, long deadline) {
    try {
      return future.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      future.cancel(true);
      return ComponentHealth.down("no answer within " + timeout.toMillis() + " ms");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return ComponentHealth.down("interrupted");
    } catch (Exception e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      return ComponentHealth.down(cause.getClass().getSimpleName() + ": " + cause.getMessage());
    }
  }

  @Override
  public void close() {
    executor.shutdownNow();
  }
}
