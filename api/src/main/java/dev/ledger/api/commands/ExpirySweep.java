package dev.ledger.api.commands;

import dev.ledger.api.auth.Caller;
import dev.ledger.api.db.ReadStore;
import dev.ledger.events.Envelope;
import dev.ledger.events.OrderExpired;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes {@code order.expired} for every pending order past its {@code expires_at}, at an interval, in the API
 * process (which already reads the orders and publishes order events). Readers never wait for it: the pending
 * read hides expired orders by itself and the API refuses to acknowledge them; the event makes the expiry part of
 * the ledger, so a replay projects it too.
 *
 * <p>Each expiry's event id is derived from the order and its expiry time, and its {@code occurred_at} is the
 * expiry time, so a sweep that runs again before the projection caught up, or in two API processes at once,
 * publishes the same event again and the projector applies it once.
 */
final class ExpirySweep implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ExpirySweep.class);
  private static final Caller SWEEPER = Caller.admin("expiry-sweep");
  private static final int BATCH = 500;
  private static final String DUE = """
      SELECT order_id, site_id, appliance_id, expires_at FROM orders
      WHERE status = 'pending' AND expires_at <= :now
      ORDER BY expires_at LIMIT :batch""";

  private final ReadStore store;
  private final CommandPublisher publisher;
  private final Clock clock;
  /** Orders whose expiry was published lately, so a lagging projection does not make every sweep resend them. */
  private final Map<String, Instant> recent = new ConcurrentHashMap<>();
  private final Duration resendAfter;
  private ScheduledExecutorService scheduler;

  record Due(String orderId, String siteId, String applianceId, Instant expiresAt) {
  }

  ExpirySweep(ReadStore store, CommandPublisher publisher, Clock clock, Duration resendAfter) {
    this.store = store;
    this.publisher = publisher;
    this.clock = clock;
    this.resendAfter = resendAfter;
  }

  /** Sweeps every {@code interval} on a thread of its own until closed. */
  synchronized void start(Duration interval) {
    scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "order-expiry-sweep");
      t.setDaemon(true);
      return t;
    });
    scheduler.scheduleWithFixedDelay(this::sweepQuietly, interval.toMillis(), interval.toMillis(),
        TimeUnit.MILLISECONDS);
  }

  /** One sweep: publishes the expiry of each due order not published lately; returns how many it published. */
  int sweep() {
    Instant now = clock.instant();
    recent.values().removeIf(at -> at.plus(resendAfter).isBefore(now));
    List<Due> due = store.read(SWEEPER, h -> h.createQuery(DUE).bind("now", now).bind("batch", BATCH)
        .map((rs, ctx) -> new Due(rs.getString("order_id"), rs.getString("site_id"), rs.getString("appliance_id"),
            rs.getTimestamp("expires_at").toInstant()))
        .list());
    int published = 0;
    for (Due d : due) {
      if (recent.containsKey(d.orderId())) {
        continue;
      }
      publisher.publish(event(d));
      recent.put(d.orderId(), now);
      published++;
    }
    if (published > 0) {
      LOG.info("published the expiry of {} order(s)", published);
    }
    return published;
  }

  /** The expiry event of an order: the same bytes however often and wherever it is made. */
  static Envelope event(Due due) {
    return Envelope.of(eventId(due.orderId(), due.expiresAt()), due.siteId(), due.applianceId(), due.expiresAt(),
        new OrderExpired(due.orderId()));
  }

  /**
   * A UUIDv7 determined by the order: its expiry's millisecond as the timestamp, and the rest of the bits from a
   * SHA-256 of the order id.
   */
  static UUID eventId(String orderId, Instant expiresAt) {
    byte[] hash;
    try {
      hash = MessageDigest.getInstance("SHA-256")
          .digest(("order.expired:" + orderId).getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
    ByteBuffer bits = ByteBuffer.wrap(hash);
    long msb = (expiresAt.toEpochMilli() << 16) | (0x7L << 12) | (bits.getShort() & 0x0FFF);
    long lsb = (bits.getLong() & 0x3FFF_FFFF_FFFF_FFFFL) | 0x8000_0000_0000_0000L;
    return new UUID(msb, lsb);
  }

  private void sweepQuietly() {
    try {
      sweep();
    } catch (RuntimeException e) {
      LOG.warn("order expiry sweep failed, next try in one interval: {}", e.toString());
    }
  }

  @Override
  public synchronized void close() {
    if (scheduler != null) {
      scheduler.shutdownNow();
      try {
        scheduler.awaitTermination(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
