package dev.ledger.cli.audit;

import dev.ledger.embedded.InfrastructureException;
import dev.ledger.events.Envelope;
import dev.ledger.events.EventSerde;
import dev.ledger.events.LedgerException;
import dev.ledger.events.SiteRegistered;
import dev.ledger.projector.tables.ProjectorTopics;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.LongConsumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.jdbi.v3.core.Jdbi;

/**
 * Rebuilds one site's compliance state as of an instant from Kafka alone, then (optionally) holds it against the
 * PostgreSQL projection. Reads only the site's partition of the registry (to know the site exists), the evidence
 * and the incident topics, up to the end offsets captured when it starts.
 */
final class SiteReplay implements AutoCloseable {

  /** What a comparison with the projection found; {@code incidentsCompared} is false when T was in the past. */
  record Comparison(Map<TopicPartition, Long> offsets, boolean incidentsCompared, List<String> differences) {
  }

  private final String siteId;
  private final SitePartitions reader;
  private final TopicPartition registry;
  private final TopicPartition evidence;
  private final TopicPartition incidents;
  private final Map<TopicPartition, Long> end;
  private final SiteState state;
  private long records;
  private long undecodable;

  private SiteReplay(String siteId, Instant asOf, SitePartitions reader, ProjectorTopics topics) {
    this.siteId = siteId;
    this.reader = reader;
    Map<TopicPartition, Long> start = reader.positions();
    this.registry = find(start, topics.registry());
    this.evidence = find(start, topics.evidence());
    this.incidents = find(start, topics.incidents());
    this.end = reader.endOffsets();
    this.state = new SiteState(siteId, asOf);
  }

  /**
   * Opens the site's partitions and captures their end offsets; {@link IllegalArgumentException} if the site was
   * never registered.
   */
  static SiteReplay open(String bootstrap, ProjectorTopics topics, String siteId, Instant asOf) {
    SitePartitions reader = SitePartitions.open(bootstrap, siteId,
        List.of(topics.registry(), topics.evidence(), topics.incidents()));
    try {
      SiteReplay replay = new SiteReplay(siteId, asOf, reader, topics);
      replay.requireRegistered();
      return replay;
    } catch (RuntimeException e) {
      reader.close();
      throw e;
    }
  }

  private void requireRegistered() {
    boolean[] found = {false};
    reader.readTo(Map.of(registry, end.get(registry)), r -> {
      Envelope e = decode(r);
      if (e != null && e.payload() instanceof SiteRegistered s && s.siteId().equals(siteId)) {
        found[0] = true;
      }
    }, n -> { });
    if (!found[0]) {
      throw new IllegalArgumentException("unknown site " + siteId + ": no site.registered event for it in "
          + registry.topic());
    }
  }

  /** Replays the evidence and incident partitions up to the end offsets captured at the start. */
  void replay(LongConsumer progress) {
    reader.readTo(Map.of(evidence, end.get(evidence), incidents, end.get(incidents)), this::fold, progress);
  }

  /** Records the evidence and incident partitions hold up to the captured end offsets (for progress). */
  long total() {
    return end.get(evidence) + end.get(incidents) - reader.positions().get(evidence)
        - reader.positions().get(incidents);
  }

  /**
   * Compares with the projection: waits (up to {@code wait}) until the projectors have read at least as far as
   * this replay, reads their state and offsets in one snapshot, replays on up to those offsets if they read
   * further, and lists the differences.
   */
  Comparison compare(Jdbi jdbi, Duration wait) {
    long deadline = System.nanoTime() + wait.toNanos();
    Map<TopicPartition, Long> stored = storedOffsets(jdbi);
    while (behind(stored)) {
      if (System.nanoTime() > deadline) {
        throw new InfrastructureException("the projection is behind Kafka after " + wait + ": projectors at "
            + stored + ", the ledger at " + Map.of(evidence, end.get(evidence), incidents, end.get(incidents))
            + " (are the projectors running?)");
      }
      sleep();
      stored = storedOffsets(jdbi);
    }
    ProjectionSnapshot snapshot = ProjectionSnapshot.read(jdbi, siteId, state.asOf(), evidence, incidents);
    reader.readTo(snapshot.offsets(), this::fold, n -> { });
    boolean comparable = state.counts().afterAsOf() == 0;
    return new Comparison(snapshot.offsets(), comparable, StateDiff.compare(state, snapshot, comparable));
  }

  private boolean behind(Map<TopicPartition, Long> stored) {
    return stored.get(evidence) < end.get(evidence) || stored.get(incidents) < end.get(incidents);
  }

  private Map<TopicPartition, Long> storedOffsets(Jdbi jdbi) {
    return jdbi.withHandle(h -> ProjectionSnapshot.offsets(h, evidence, incidents));
  }

  private void fold(ConsumerRecord<String, byte[]> r) {
    records++;
    Envelope e = decode(r);
    if (e == null) {
      undecodable++;
    } else {
      state.apply(e);
    }
  }

  /** The envelope, or null for a record the projector dead-letters as undecodable. */
  private static Envelope decode(ConsumerRecord<String, byte[]> r) {
    try {
      return EventSerde.deserialize(r.value());
    } catch (LedgerException e) {
      return null;
    }
  }

  SiteState state() {
    return state;
  }

  int partition() {
    return evidence.partition();
  }

  /** The end offsets captured at the start, of the evidence and incident partitions. */
  Map<TopicPartition, Long> endOffsets() {
    return Map.of(evidence, end.get(evidence), incidents, end.get(incidents));
  }

  long records() {
    return records;
  }

  long undecodable() {
    return undecodable;
  }

  private static TopicPartition find(Map<TopicPartition, Long> partitions, String topic) {
    return partitions.keySet().stream().filter(tp -> tp.topic().equals(topic)).findFirst().orElseThrow();
  }

  private static void sleep() {
    try {
      Thread.sleep(200);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InfrastructureException("interrupted waiting for the projection", e);
    }
  }

  @Override
  public void close() {
    reader.close();
  }
}
