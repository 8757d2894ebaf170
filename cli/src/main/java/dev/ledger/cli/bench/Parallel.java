package dev.ledger.cli.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/** A scenario's concurrent clients: numbered tasks on a fixed pool of threads, timed from first start to last end. */
public final class Parallel {
  /** Task {@code index} of a run. */
  @FunctionalInterface
  public interface Task {
    void run(int index) throws Exception;
  }

  private Parallel() {
  }

  /**
   * Runs {@code task(0)} to {@code task(tasks - 1)} on {@code threads} threads and returns how long they took
   * together; the first failure is rethrown (as the {@code ExecutionException} of its task) and the rest stopped.
   */
  public static Duration timed(int threads, int tasks, Task task) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      long start = System.nanoTime();
      List<Future<?>> done = new ArrayList<>(tasks);
      for (int i = 0; i < tasks; i++) {
        int index = i;
        done.add(pool.submit(() -> {
          task.run(index);
          return null;
        }));
      }
      for (Future<?> f : done) {
        f.get();
      }
      return Duration.ofNanos(System.nanoTime() - start);
    } finally {
      pool.shutdownNow();
    }
  }
}
