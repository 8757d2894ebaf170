package dev.ledger.projector.tables;

import dev.ledger.events.Envelope;
import dev.ledger.events.EventSerde;
import dev.ledger.events.LedgerException;
import dev.ledger.projector.tables.Checkpoints.FencedException;
import dev.ledger.projector.tables.DeadLetters.Rejected;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.WakeupException;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one projection: a consumer whose position lives in PostgreSQL. On assignment it seeks each partition to
 * the stored next offset; each poll becomes one transaction that drops already-applied event ids, applies the
 * rest, stores the next offset of every partition it read (all records of a poll are handled, so the stored
 * offsets are contiguous) and commits. Undecodable events and events the database rejects go to the dead-letter
 * topic and the projector goes on. Kafka's committed offsets are written afterwards, for tooling only.
 */
final class Projector implements Runnable {
  private static final Logger LOG = LoggerFactory.getLogger(Projector.class);
  static final String REJECTED = "projection_rejected";

  private final Projection projection;
  private final ProjectorSettings settings;
  private final Jdbi jdbi;
  private final DeadLetters deadLetters;
  private final KafkaConsumer<String, byte[]> consumer;
  private final Map<TopicPartition, Long> expected = new HashMap<>();
  final Map<TopicPartition, Long> lag = new ConcurrentHashMap<>();
  final AtomicLong applied = new AtomicLong();
  final AtomicLong rejected = new AtomicLong();
  private volatile boolean closed;
  volatile Instant lastPoll = Instant.now();
  volatile String lastError;
  private Instant nextLagCheck = Instant.EPOCH;
  private Instant nextPrune = Instant.now().plus(Duration.ofMinutes(1));

  Projector(Projection projection, ProjectorSettings settings, Jdbi jdbi, DeadLetters deadLetters) {
    this.projection = projection;
    this.settings = settings;
    this.jdbi = jdbi;
    this.deadLetters = deadLetters;
    this.consumer = ProjectorConsumer.create(settings, projection.name());
  }

  String name() {
    return projection.name();
  }

  void close() {
    closed = true;
    consumer.wakeup();
  }

  @Override
  public void run() {
    try {
      consumer.subscribe(projection.topics(settings.topics()), new Seeker());
      while (!closed) {
        step();
      }
    } finally {
      consumer.close();
    }
  }

  private void step() {
    try {
      ConsumerRecords<String, byte[]> records = consumer.poll(Duration.ofMillis(200));
      lastPoll = Instant.now();
      if (!records.isEmpty()) {
        project(records);
      } else {
        skipMarkers();
      }
      housekeeping();
      lastError = null;
    } catch (WakeupException e) {
      if (!closed) {
        throw e;
      }
    } catch (FencedException e) {
      LOG.warn("{}; re-reading stored offsets", e.getMessage());
      reseek(consumer.assignment());
    } catch (RuntimeException e) {
      lastError = e.toString();
      LOG.error("projection {} failed; retrying from the stored offsets", projection.name(), e);
      pause();
      try {
        reseek(consumer.assignment());
      } catch (RuntimeException again) {
        LOG.warn("cannot re-read offsets of {}: {}", projection.name(), again.toString());
        expected.clear();
      }
    }
  }

  private void project(ConsumerRecords<String, byte[]> records) {
    if (!expected.keySet().containsAll(records.partitions())) {
      reseek(consumer.assignment()); // a seek failed earlier: never apply from an unverified position
      return;
    }
    List<Pending> pending = new ArrayList<>(records.count());
    List<Rejected> bad = new ArrayList<>();
    Map<TopicPartition, Long> next = new HashMap<>();
    for (ConsumerRecord<String, byte[]> r : records) {
      next.put(new TopicPartition(r.topic(), r.partition()), r.offset() + 1);
      try {
        Envelope envelope = EventSerde.deserialize(r.value());
        pending.add(new Pending(r, new Incoming(r.topic(), r.partition(), r.offset(),
            Instant.ofEpochMilli(r.timestamp()), envelope)));
      } catch (LedgerException e) {
        bad.add(Rejected.of(r, e));
      }
    }
    for (TopicPartition tp : records.partitions()) {
      next.merge(tp, consumer.position(tp), Math::max); // past transaction markers after the last record, if any
    }
    List<Rejected> outcome = bad;
    try {
      jdbi.useTransaction(h -> commit(h, pending, bad, next));
    } catch (FencedException e) {
      throw e;
    } catch (RuntimeException e) {
      if (rejection(e) == null) {
        throw e;
      }
      LOG.warn("batch of {} rejected ({}); applying one event at a time", pending.size(), rejection(e));
      List<Rejected> all = new ArrayList<>(bad);
      jdbi.useTransaction(h -> oneByOne(h, pending, all, next));
      outcome = all;
    }
    expected.putAll(next);
    rejected.addAndGet(outcome.size());
    applied.addAndGet(pending.size() - (outcome.size() - bad.size()));
    Map<TopicPartition, OffsetAndMetadata> info = new HashMap<>();
    next.forEach((tp, offset) -> info.put(tp, new OffsetAndMetadata(offset)));
    consumer.commitAsync(info, null);
  }

  private void commit(Handle h, List<Pending> pending, List<Rejected> bad, Map<TopicPartition, Long> next) {
    applyFresh(h, pending.stream().map(Pending::incoming).toList());
    Checkpoints.save(h, projection.name(), next, expected);
    deadLetters.send(bad);
  }

  private void oneByOne(Handle h, List<Pending> pending, List<Rejected> bad, Map<TopicPartition, Long> next) {
    for (Pending p : pending) {
      h.savepoint("event");
      try {
        applyFresh(h, List.of(p.incoming()));
        h.release("event");
      } catch (RuntimeException e) {
        String reason = rejection(e);
        if (reason == null) {
          throw e;
        }
        h.rollbackToSavepoint("event");
        String code = e instanceof LedgerException le ? le.code() : REJECTED;
        bad.add(new Rejected(p.record(), code, reason));
      }
    }
    Checkpoints.save(h, projection.name(), next, expected);
    deadLetters.send(bad);
  }

  /**
   * Applies the events whose ids were never applied, each id once. Replay-safe events (see
   * {@link Projection#replaySafe}) skip the id bookkeeping: applying one of them twice changes nothing.
   */
  private void applyFresh(Handle h, List<Incoming> events) {
    List<UUID> ids = new ArrayList<>(events.size());
    boolean[] safe = new boolean[events.size()];
    for (int n = 0; n < safe.length; n++) {
      Envelope e = events.get(n).envelope();
      safe[n] = projection.replaySafe(e);
      if (!safe[n]) {
        ids.add(e.eventId());
      }
    }
    Set<UUID> fresh = AppliedEvents.recordNew(h, projection.name(), ids);
    List<Incoming> todo = new ArrayList<>(events.size());
    for (int n = 0; n < safe.length; n++) {
      Incoming i = events.get(n);
      if (safe[n] || fresh.remove(i.envelope().eventId())) {
        todo.add(i);
      }
    }
    if (!todo.isEmpty()) {
      projection.apply(h, todo, settings.mode());
    }
  }

  /**
   * Stores the positions that moved with no record to apply: a transactional producer's commit markers (the
   * Streams app's derived topics) take offsets too, and the last one of a partition is followed by no record whose
   * offset would carry the position past it. Without this the stored offsets would stay short of the end offsets:
   * a lag of 1 forever, and a rebuild waiting for them.
   */
  private void skipMarkers() {
    Map<TopicPartition, Long> moved = new HashMap<>();
    Set<TopicPartition> assigned = consumer.assignment();
    for (Map.Entry<TopicPartition, Long> e : expected.entrySet()) {
      if (!assigned.contains(e.getKey())) {
        continue;
      }
      try {
        long position = consumer.position(e.getKey(), Duration.ZERO);
        if (position > Math.max(0, e.getValue())) {
          moved.put(e.getKey(), position);
        }
      } catch (TimeoutException notYet) {
        // sought to the beginning and not fetched yet: nothing to store
      }
    }
    if (!moved.isEmpty()) {
      jdbi.useTransaction(h -> Checkpoints.save(h, projection.name(), moved, expected));
      expected.putAll(moved);
    }
  }

  /** The reason if {@code e} rejects the data (a bad event), null if it is an infrastructure failure. */
  static String rejection(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof LedgerException) {
        return t.getMessage();
      }
      if (t instanceof SQLException sql && sql.getSQLState() != null
          && (sql.getSQLState().startsWith("22") || sql.getSQLState().startsWith("23"))) {
        return sql.getSQLState() + " " + sql.getMessage();
      }
    }
    return null;
  }

  private void reseek(Collection<TopicPartition> partitions) {
    expected.keySet().retainAll(consumer.assignment());
    if (partitions.isEmpty()) {
      return;
    }
    Map<TopicPartition, Long> stored = jdbi.withHandle(h -> Checkpoints.read(h, projection.name()));
    Set<TopicPartition> fromStart = new HashSet<>();
    for (TopicPartition tp : partitions) {
      Long offset = stored.get(tp);
      if (offset == null) {
        fromStart.add(tp);
      } else {
        consumer.seek(tp, offset);
      }
      expected.put(tp, offset == null ? Checkpoints.NONE : offset);
    }
    if (!fromStart.isEmpty()) {
      consumer.seekToBeginning(fromStart);
    }
  }

  private void housekeeping() {
    Instant now = Instant.now();
    if (now.isAfter(nextLagCheck)) {
      nextLagCheck = now.plusSeconds(2);
      measureLag();
      followStoredOffsets();
    }
    if (now.isAfter(nextPrune)) {
      nextPrune = now.plus(Duration.ofMinutes(10));
      int pruned = jdbi.inTransaction(h -> AppliedEvents.prune(h, projection.name(), settings.dedupeRetention()));
      LOG.debug("pruned {} applied event ids of {}", pruned, projection.name());
    }
  }

  /**
   * Re-seeks when a stored offset is no longer the one this projector wrote: another writer moved it (a rebuild
   * switched in its tables with their own offsets). The conditional offset write notices that too, but only at the
   * next record; an idle partition would otherwise leave the new tables short of the end until one arrives.
   */
  private void followStoredOffsets() {
    Map<TopicPartition, Long> stored = jdbi.withHandle(h -> Checkpoints.read(h, projection.name()));
    for (Map.Entry<TopicPartition, Long> e : expected.entrySet()) {
      if (stored.getOrDefault(e.getKey(), Checkpoints.NONE) != e.getValue().longValue()) {
        LOG.info("{}: stored offsets moved under this projector ({}); re-reading them", projection.name(),
            e.getKey());
        reseek(consumer.assignment());
        return;
      }
    }
  }

  private void measureLag() {
    Set<TopicPartition> assigned = consumer.assignment();
    lag.keySet().retainAll(assigned);
    Map<TopicPartition, Long> ends;
    try {
      ends = consumer.endOffsets(assigned, Duration.ofSeconds(2));
    } catch (TimeoutException e) {
      // A slow broker answer is no projection failure: failing the step would pause and re-seek, dropping the
      // fetched records (seen under load during a rebuild). The lag is measured again at the next check.
      LOG.debug("lag of {} not measured: {}", projection.name(), e.getMessage());
      return;
    }
    ends.forEach((tp, end) -> {
      long at = Math.max(0, expected.getOrDefault(tp, 0L));
      lag.put(tp, Math.max(0, end - at));
    });
  }

  private void pause() {
    try {
      Thread.sleep(1_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      closed = true;
    }
  }

  private record Pending(ConsumerRecord<String, byte[]> record, Incoming incoming) {
  }

  /** Seeks newly assigned partitions to the offsets stored in PostgreSQL. */
  private final class Seeker implements ConsumerRebalanceListener {
    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
      expected.keySet().removeAll(partitions);
    }

    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
      reseek(partitions);
    }
  }
}
