package dev.ledger.projector.tables;

import dev.ledger.events.Envelope;
import java.util.List;
import org.jdbi.v3.core.Handle;

/**
 * One read model: the topics it reads and how a batch of new events changes its tables. {@link #apply} runs
 * inside the projector's transaction, after duplicates were removed and before the offsets are stored; it must
 * give the same rows whatever the batch boundaries, and it throws to reject the batch (the projector then retries
 * event by event and dead-letters the events that still fail).
 */
interface Projection {

  /** Stable name, the {@code projection} column of the bookkeeping tables. */
  String name();

  List<String> topics(ProjectorTopics topics);

  void apply(Handle handle, List<Incoming> events, WriteMode mode);

  /**
   * True if applying {@code event} again, at any later point, can change nothing (an insert where the first write
   * wins): the projector then records no event id for it, which saves a row write per event. False by default.
   */
  default boolean replaySafe(Envelope event) {
    return false;
  }
}
