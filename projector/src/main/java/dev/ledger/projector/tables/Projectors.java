package dev.ledger.projector.tables;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.common.TopicPartition;
import org.jdbi.v3.core.Jdbi;

/**
 * The running PostgreSQL projectors: one consumer thread per projection. Start with {@link #start}; {@link #close}
 * stops them. {@link #healthy()} and {@link #status()} are what {@code /health} and {@code ledger dev} show.
 */
public final class Projectors implements AutoCloseable {
  private static final long STALL_MILLIS = 60_000;
  private final List<Projector> projectors = new ArrayList<>();
  private final List<Thread> threads = new ArrayList<>();
  private final DeadLetters deadLetters;

  private Projectors(ProjectorSettings settings) {
    Jdbi jdbi = Jdbi.create(settings.dataSource());
    deadLetters = new DeadLetters(settings.bootstrapServers(), settings.topics().deadLetter(), settings.sideEffects());
    for (Projection projection : Projections.selected(settings.projections())) {
      projectors.add(new Projector(projection, settings, jdbi, deadLetters));
    }
  }

  /** Starts every selected projection, each on its own thread. The schema must be migrated already. */
  public static Projectors start(ProjectorSettings settings) {
    Projectors running = new Projectors(settings);
    for (Projector p : running.projectors) {
      Thread t = new Thread(p, "projector-" + p.name());
      t.setDaemon(true);
      running.threads.add(t);
      t.start();
    }
    return running;
  }

  /** The topics each selected projection reads, by projection name: what a full replay of them has to reach. */
  public static Map<String, List<String>> topicsRead(ProjectorSettings settings) {
    Map<String, List<String>> read = new LinkedHashMap<>();
    for (Projection p : Projections.selected(settings.projections())) {
      read.put(p.name(), p.topics(settings.topics()));
    }
    return read;
  }

  /** True while every projector thread runs, polls, and its last step did not fail. */
  public boolean healthy() {
    long now = System.currentTimeMillis();
    for (int i = 0; i < projectors.size(); i++) {
      Projector p = projectors.get(i);
      if (!threads.get(i).isAlive() || p.lastError != null || now - p.lastPoll.toEpochMilli() > STALL_MILLIS) {
        return false;
      }
    }
    return true;
  }

  /** Lag per partition (records not yet projected), by topic-partition. */
  public Map<String, Long> lag() {
    Map<String, Long> lag = new TreeMap<>();
    for (Projector p : projectors) {
      for (Map.Entry<TopicPartition, Long> e : p.lag.entrySet()) {
        lag.put(p.name() + ":" + e.getKey(), e.getValue());
      }
    }
    return lag;
  }

  /** Events sent to the dead-letter topic since start. */
  public long deadLetterCount() {
    return deadLetters.count();
  }

  /** Events applied since start, over every projection. */
  public long appliedCount() {
    return projectors.stream().mapToLong(p -> p.applied.get()).sum();
  }

  /** One line per projection: applied, rejected, total lag and last error; then the dead-letter count. */
  public String status() {
    StringBuilder out = new StringBuilder();
    for (Projector p : projectors) {
      long lag = p.lag.values().stream().mapToLong(Long::longValue).sum();
      out.append(String.format("%-14s applied %d, rejected %d, lag %d %s%s%n", p.name(), p.applied.get(),
          p.rejected.get(), lag, new TreeMap<>(p.lag.entrySet().stream().collect(
              java.util.stream.Collectors.toMap(e -> e.getKey().toString(), Map.Entry::getValue))),
          p.lastError == null ? "" : " error: " + p.lastError));
    }
    out.append("dead letters ").append(deadLetters.count());
    return out.toString();
  }

  @Override
  public void close() {
    projectors.forEach(Projector::close);
    for (Thread t : threads) {
      try {
        t.join(10_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    deadLetters.close();
  }
}
