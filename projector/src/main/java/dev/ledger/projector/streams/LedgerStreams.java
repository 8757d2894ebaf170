package dev.ledger.projector.streams;

import dev.ledger.events.kafka.TopicAdmin;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running Streams app: pattern stats, promotion eligibility, flap counts and the sealed evidence chain.
 * {@link #start} creates any missing topic, then starts the topology of {@link LedgerTopology#build}; several
 * instances with the same application id share the partitions. Close it to stop.
 */
public final class LedgerStreams implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(LedgerStreams.class);
  private static final Duration ADMIN_TIMEOUT = Duration.ofSeconds(30);
  // Bounded: Ctrl-C during a rebalance must not wait for the group; EOS aborts what was not committed.
  private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(10);

  private final KafkaStreams streams;
  private final StreamsSettings settings;
  private final AtomicReference<Throwable> failure = new AtomicReference<>();
  private volatile long firstRunningNanos;

  private LedgerStreams(KafkaStreams streams, StreamsSettings settings) {
    this.streams = streams;
    this.settings = settings;
  }

  /** Creates missing topics and starts the app; returns at once, {@link #awaitRunning} waits for the first join. */
  public static LedgerStreams start(StreamsSettings settings) {
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers()))) {
      TopicAdmin.ensureTopics(admin, settings.topics().specs(), ADMIN_TIMEOUT);
    }
    try {
      Files.createDirectories(settings.stateDir());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the streams state directory " + settings.stateDir(), e);
    }
    KafkaStreams streams = new KafkaStreams(LedgerTopology.build(settings), settings.toProperties());
    LedgerStreams app = new LedgerStreams(streams, settings);
    streams.setStateListener((to, from) -> {
      if (to == KafkaStreams.State.RUNNING && app.firstRunningNanos == 0) {
        app.firstRunningNanos = System.nanoTime();
      }
      LOG.info("streams app {}: {} -> {}", settings.applicationId(), from, to);
    });
    streams.setUncaughtExceptionHandler(e -> {
      // Bad input never gets here (it is dead-lettered); this is a bug or a lost cluster: stop, report unhealthy.
      LOG.error("streams app {} failed; shutting it down", settings.applicationId(), e);
      app.failure.compareAndSet(null, e);
      return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
    });
    streams.start();
    return app;
  }

  /** Whether the app is processing or rebalancing (not failed, not stopped). */
  public boolean healthy() {
    KafkaStreams.State state = streams.state();
    return failure.get() == null
        && (state == KafkaStreams.State.RUNNING || state == KafkaStreams.State.REBALANCING);
  }

  /** One line for operators: state, tasks, and the failure if any. */
  public String status() {
    Throwable error = failure.get();
    int tasks = streams.state().isRunningOrRebalancing()
        ? streams.metadataForLocalThreads().stream().mapToInt(t -> t.activeTasks().size()).sum() : 0;
    return settings.applicationId() + " " + streams.state() + ", " + tasks + " active tasks"
        + (error == null ? "" : ", failed: " + error);
  }

  /** {@link System#nanoTime} when the app was RUNNING the first time (every task assigned), or 0. */
  public long firstRunningNanos() {
    return firstRunningNanos;
  }

  /** Waits until the app is RUNNING; false if it is not within the timeout or it failed. */
  public boolean awaitRunning(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (streams.state() == KafkaStreams.State.RUNNING) {
        return true;
      }
      if (failure.get() != null || !streams.state().isRunningOrRebalancing()
          && streams.state() != KafkaStreams.State.CREATED) {
        return false;
      }
      Thread.sleep(50);
    }
    return false;
  }

  @Override
  public void close() {
    if (!streams.close(CLOSE_TIMEOUT)) {
      // Its threads may still run (a close in the middle of a rebalance can leave one polling): say so.
      LOG.warn("streams app {} did not stop within {} s (state {}); its threads may still be running",
          settings.applicationId(), CLOSE_TIMEOUT.toSeconds(), streams.state());
    }
  }
}
