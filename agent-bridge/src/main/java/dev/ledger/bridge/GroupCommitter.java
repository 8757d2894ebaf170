package dev.ledger.bridge;

import dev.ledger.events.LedgerException;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Group commit: one writer thread drains the queue of pending ops into one SQLite transaction per group (up to
 * {@code maxGroup} ops), and completes each caller's future only after COMMIT returned, so an acknowledged write is
 * on disk ({@code synchronous=FULL}). The queue is bounded: callers block when the writer is behind.
 */
final class GroupCommitter implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(GroupCommitter.class);
  private static final int QUEUE_CAPACITY = 8_192;

  private record Pending<T>(WriteOp<T> op, CompletableFuture<T> future) {
    void complete(Object result) {
      @SuppressWarnings("unchecked") T value = (T) result;
      future.complete(value);
    }
  }

  private final Writer writer;
  private final int maxGroup;
  private final Runnable afterCommit;
  private final BlockingQueue<Pending<?>> queue = new ArrayBlockingQueue<>(QUEUE_CAPACITY);
  private final Thread thread;
  private volatile boolean stopping;

  GroupCommitter(Writer writer, int maxGroup, Runnable afterCommit) {
    this.writer = writer;
    this.maxGroup = maxGroup;
    this.afterCommit = afterCommit;
    this.thread = new Thread(this::loop, "bridge-writer");
    thread.setDaemon(true);
    thread.start();
  }

  /** Queues the op; the future completes after its group committed, or fails with the op's refusal. */
  <T> CompletableFuture<T> submit(WriteOp<T> op) {
    CompletableFuture<T> future = new CompletableFuture<>();
    if (stopping) {
      future.completeExceptionally(new IllegalStateException("the bridge is stopping"));
      return future;
    }
    try {
      queue.put(new Pending<>(op, future));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      future.completeExceptionally(e);
    }
    return future;
  }

  private void loop() {
    List<Pending<?>> group = new ArrayList<>(maxGroup);
    while (!stopping || !queue.isEmpty()) {
      try {
        Pending<?> first = queue.poll(100, TimeUnit.MILLISECONDS);
        if (first == null) {
          continue;
        }
        group.add(first);
        queue.drainTo(group, maxGroup - 1);
        runGroup(group);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      } catch (RuntimeException | Error e) {
        LOG.error("bridge writer failed a group", e);
        group.forEach(p -> p.future().completeExceptionally(e));
      } finally {
        group.clear();
      }
    }
  }

  private void runGroup(List<Pending<?>> group) {
    Object[] results = new Object[group.size()];
    RuntimeException[] refusals = new RuntimeException[group.size()];
    try {
      for (int i = 0; i < group.size(); i++) {
        try {
          results[i] = group.get(i).op().apply(writer);
        } catch (LedgerException | IllegalArgumentException e) {
          refusals[i] = e;
        }
      }
      writer.commit();
    } catch (SQLException | RuntimeException e) {
      writer.rollback();
      if (group.size() == 1) {
        group.get(0).future().completeExceptionally(e);
      } else {
        LOG.warn("group of {} rolled back ({}); retrying each alone", group.size(), e.toString());
        group.forEach(p -> runGroup(List.of(p)));
      }
      return;
    }
    for (int i = 0; i < group.size(); i++) {
      if (refusals[i] != null) {
        group.get(i).future().completeExceptionally(refusals[i]);
      } else {
        group.get(i).complete(results[i]);
      }
    }
    afterCommit.run();
  }

  /** Stops taking ops, commits what is queued, and stops the writer thread. */
  @Override
  public void close() {
    stopping = true;
    try {
      thread.join(30_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    // Anything that raced in after the writer stopped is refused, never left hanging.
    for (Pending<?> p; (p = queue.poll()) != null; ) {
      p.future().completeExceptionally(new IllegalStateException("the bridge stopped before this was written"));
    }
  }
}
