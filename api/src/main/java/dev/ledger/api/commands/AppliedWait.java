package dev.ledger.api.commands;

import java.time.Duration;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;

/**
 * {@code ?wait=true}: waits until a projection has applied an event. The projector records every applied event id
 * in {@code projector_applied_events} in the same transaction as the rows it changed (V6), so once the id is
 * there the rows are visible too. Polls the primary key, every {@code poll}, until the deadline.
 */
final class AppliedWait {
  private static final String APPLIED = """
      SELECT EXISTS (SELECT 1 FROM projector_applied_events WHERE projection = :projection AND event_id = :id)""";

  /** The projector's names of the projections that commands feed (its {@code Projections}). */
  static final String ORDERS = "orders";
  static final String INCIDENTS = "incidents";
  static final String PROMOTIONS = "promotions";

  private final Jdbi jdbi;
  private final Duration timeout;
  private final Duration poll;

  AppliedWait(Jdbi jdbi, Duration timeout, Duration poll) {
    this.jdbi = jdbi;
    this.timeout = timeout;
    this.poll = poll;
  }

  Duration timeout() {
    return timeout;
  }

  /** True once {@code projection} has applied the event, false if it did not within the timeout. */
  boolean applied(String projection, UUID eventId) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      boolean done = jdbi.withHandle(h -> h.createQuery(APPLIED)
          .bind("projection", projection).bind("id", eventId).mapTo(Boolean.class).one());
      if (done) {
        return true;
      }
      if (System.nanoTime() - deadline >= 0) {
        return false;
      }
      try {
        Thread.sleep(poll.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
  }
}
