package dev.ledger.api.commands;

import dev.ledger.api.db.ReadStore;
import dev.ledger.api.http.Params;
import dev.ledger.events.Envelope;
import io.javalin.http.Context;
import java.time.Clock;
import java.util.function.Supplier;

/**
 * What every command handler shares: the scoped reads that authorise it, the publisher, the wait for the
 * projection and the clock; and the one way a command answers.
 */
final class CommandSupport {
  /** Response header with the id of the event a command published, also on 409 and 504 after publishing. */
  static final String EVENT_ID_HEADER = "Ledger-Event-Id";

  final ReadStore store;
  final CommandPublisher publisher;
  final AppliedWait wait;
  final Clock clock;

  CommandSupport(ReadStore store, CommandPublisher publisher, AppliedWait wait, Clock clock) {
    this.store = store;
    this.publisher = publisher;
    this.wait = wait;
    this.clock = clock;
  }

  /** {@code ?wait=true|false} (the only query parameter commands take); false when absent. */
  static boolean waitParam(Context ctx) {
    return Boolean.TRUE.equals(Params.of(ctx, "wait").bool("wait"));
  }

  /**
   * Publishes the event (authorised and validated already) and answers: 202 with {@code accepted}; or, when
   * {@code waitForProjection}, 200 with {@code projected.get()} once {@code projection} applied the event (504 if
   * it did not in time). {@code projected} may throw a 409 when the applied event lost a race (an acknowledgement
   * that arrived after the expiry).
   */
  void publish(Context ctx, boolean waitForProjection, Envelope event, String projection, Object accepted,
      Supplier<?> projected) {
    publisher.publish(event);
    ctx.header(EVENT_ID_HEADER, event.eventId().toString());
    if (!waitForProjection) {
      ctx.status(202).json(new CommandResult(event.eventId().toString(), event.type(), "accepted", accepted));
      return;
    }
    if (!wait.applied(projection, event.eventId())) {
      throw new NotAppliedInTime("event " + event.eventId() + " (" + event.type() + ") is on the ledger but the "
          + projection + " projection did not apply it within " + wait.timeout().toSeconds() + " s; it will be "
          + "applied, do not send the command again");
    }
    ctx.status(200).json(new CommandResult(event.eventId().toString(), event.type(), "applied", projected.get()));
  }
}
