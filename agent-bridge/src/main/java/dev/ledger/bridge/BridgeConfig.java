package dev.ledger.bridge;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/**
 * Settings of one agent bridge, validated in one place. {@code httpPort} 0 picks a free loopback port and -1 turns
 * the HTTP API off; {@code backoffUnit} is the unit of the offline retry delay {@code min(2^retry_count, 60)}
 * (minutes in production; tests shorten it). {@code bootstrapServers} null runs without a relay.
 */
public record BridgeConfig(
    String siteId,
    String applianceId,
    String hostname,
    Path dataDir,
    String bootstrapServers,
    int httpPort,
    int evidenceQueueCapacity,
    int evidenceRetryCap,
    Duration backoffUnit,
    int maxGroup,
    Clock clock) {

  public static final int DEFAULT_QUEUE_CAPACITY = 10_000;
  public static final int DEFAULT_RETRY_CAP = 10;
  public static final int DEFAULT_MAX_GROUP = 2_048;

  public BridgeConfig {
    requireText(siteId, "site id");
    requireText(applianceId, "appliance id");
    requireText(hostname, "hostname");
    Objects.requireNonNull(dataDir, "data directory");
    if (httpPort < -1 || httpPort > 65535) {
      throw new IllegalArgumentException("HTTP port must be -1 (off), 0 (any) or 1..65535, got " + httpPort);
    }
    if (evidenceQueueCapacity < 1) {
      throw new IllegalArgumentException("evidence queue capacity must be at least 1, got " + evidenceQueueCapacity);
    }
    if (evidenceRetryCap < 1) {
      throw new IllegalArgumentException("evidence retry cap must be at least 1, got " + evidenceRetryCap);
    }
    if (backoffUnit == null || backoffUnit.isNegative() || backoffUnit.isZero()) {
      throw new IllegalArgumentException("backoff unit must be positive, got " + backoffUnit);
    }
    if (maxGroup < 1) {
      throw new IllegalArgumentException("max group must be at least 1, got " + maxGroup);
    }
    Objects.requireNonNull(clock, "clock");
  }

  /** The defaults: loopback HTTP on any port, 10,000 queued bundles, 10 retries, minutes of backoff. */
  public static BridgeConfig of(String siteId, String applianceId, Path dataDir, String bootstrapServers) {
    return new BridgeConfig(siteId, applianceId, applianceId, dataDir, bootstrapServers, 0,
        DEFAULT_QUEUE_CAPACITY, DEFAULT_RETRY_CAP, Duration.ofMinutes(1), DEFAULT_MAX_GROUP, Clock.systemUTC());
  }

  public BridgeConfig withHttpPort(int port) {
    return new BridgeConfig(siteId, applianceId, hostname, dataDir, bootstrapServers, port, evidenceQueueCapacity,
        evidenceRetryCap, backoffUnit, maxGroup, clock);
  }

  public BridgeConfig withEvidenceQueue(int capacity, int retryCap, Duration unit) {
    return new BridgeConfig(siteId, applianceId, hostname, dataDir, bootstrapServers, httpPort, capacity, retryCap,
        unit, maxGroup, clock);
  }

  public BridgeConfig withClock(Clock newClock) {
    return new BridgeConfig(siteId, applianceId, hostname, dataDir, bootstrapServers, httpPort, evidenceQueueCapacity,
        evidenceRetryCap, backoffUnit, maxGroup, newClock);
  }

  public Path databaseFile() {
    return dataDir.resolve("agent.db");
  }

  private static void requireText(String value, String what) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(what + " is required");
    }
  }
}
