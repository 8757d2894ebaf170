package dev.ledger.api.commands;

import dev.ledger.api.ApiContext;
import dev.ledger.api.RouteModule;
import io.javalin.config.RoutesConfig;
import java.time.Duration;
import java.util.Objects;

/**
 * The command side of the API: commands become events on Kafka, never writes to projection tables. Each command
 * is authorised and checked against the projections, published (202 with the event id), and with
 * {@code ?wait=true} answered once the projection applied it (200 with the projected resource, 504 if not in
 * time). Also runs the order expiry sweep. Create it with {@link #start} (the Kafka producer), pass it to the API
 * as a {@link RouteModule} (which adds the routes and starts the sweep), and {@link #close} it after the API.
 *
 * <p>Routes (partner or admin keys unless under {@code /v1/appliance/}):
 * <ul>
 *   <li>{@code POST /v1/sites/{siteId}/orders}: issue an order to an appliance of the site;</li>
 *   <li>{@code POST /v1/appliance/orders/{orderId}/acknowledge | complete | fail}: the order's own appliance;</li>
 *   <li>{@code POST /v1/sites/{siteId}/flap-suppressions/clear}: clear an active flap suppression;</li>
 *   <li>{@code POST /v1/sites/{siteId}/patterns/{signature}/promotion}, {@code POST
 *       /v1/fleet/patterns/{signature}/promotion} (admin): approve or reject a promotion candidate.</li>
 * </ul>
 */
public final class Commands implements RouteModule, AutoCloseable {
  private final Settings settings;
  private final CommandPublisher publisher;
  private ExpirySweep sweep;

  /**
   * Settings of the command side.
   *
   * @param bootstrapServers Kafka, where commands are published
   * @param publishTimeout how long a command waits for the broker's acknowledgement before a 503
   * @param waitTimeout how long {@code ?wait=true} waits for the projection before a 504
   * @param sweepInterval how often pending orders past their expiry are expired; zero: never (tests sweep by hand)
   */
  public record Settings(String bootstrapServers, Duration publishTimeout, Duration waitTimeout,
      Duration sweepInterval) {
    public Settings {
      Objects.requireNonNull(bootstrapServers, "bootstrapServers");
      requirePositive(publishTimeout, "publishTimeout");
      requirePositive(waitTimeout, "waitTimeout");
      if (sweepInterval == null || sweepInterval.isNegative()) {
        throw new IllegalArgumentException("sweepInterval must be zero or positive, was " + sweepInterval);
      }
    }

    /** Publish within 10 s, wait for the projection up to 10 s, sweep expired orders every 15 s. */
    public static Settings defaults(String bootstrapServers) {
      return new Settings(bootstrapServers, Duration.ofSeconds(10), Duration.ofSeconds(10), Duration.ofSeconds(15));
    }

    public Settings withSweepInterval(Duration interval) {
      return new Settings(bootstrapServers, publishTimeout, waitTimeout, interval);
    }

    public Settings withWaitTimeout(Duration timeout) {
      return new Settings(bootstrapServers, publishTimeout, timeout, sweepInterval);
    }

    private static void requirePositive(Duration d, String name) {
      if (d == null || d.isZero() || d.isNegative()) {
        throw new IllegalArgumentException(name + " must be positive, was " + d);
      }
    }
  }

  private Commands(Settings settings) {
    this.settings = settings;
    this.publisher = new CommandPublisher(settings.bootstrapServers(), settings.publishTimeout());
  }

  /** Creates the command publisher; nothing is published until the routes are registered and called. */
  public static Commands start(Settings settings) {
    return new Commands(settings);
  }

  /** Adds the command routes, and starts the expiry sweep unless its interval is zero. */
  @Override
  public synchronized void register(RoutesConfig routes, ApiContext api) {
    if (sweep != null) {
      throw new IllegalStateException("the commands are registered with one API only");
    }
    CommandSupport support = new CommandSupport(api.reads(), publisher,
        new AppliedWait(api.reads().jdbi(), settings.waitTimeout(), Duration.ofMillis(25)), api.clock());
    new OrderCommands(support).register(routes);
    new FlapCommands(support).register(routes);
    new PromotionCommands(support).register(routes);
    sweep = new ExpirySweep(api.reads(), publisher, api.clock(), Duration.ofMinutes(5));
    if (!settings.sweepInterval().isZero()) {
      sweep.start(settings.sweepInterval());
    }
  }

  /** Runs one expiry sweep now; returns how many expiries it published. */
  public int sweepExpiredOrders() {
    ExpirySweep current;
    synchronized (this) {
      current = sweep;
    }
    if (current == null) {
      throw new IllegalStateException("register the commands with the API first");
    }
    return current.sweep();
  }

  @Override
  public synchronized void close() {
    if (sweep != null) {
      sweep.close();
    }
    publisher.close();
  }
}
