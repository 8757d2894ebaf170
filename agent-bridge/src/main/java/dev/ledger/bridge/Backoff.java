package dev.ledger.bridge;

import java.time.Duration;

/** The offline queue's retry delay: {@code min(2^retry_count, 60)} units (minutes in production). */
final class Backoff {
  static final long MAX_UNITS = 60;

  private Backoff() {
  }

  /** The delay before the next attempt of an item that has failed {@code retryCount} times before this failure. */
  static Duration delay(int retryCount, Duration unit) {
    long units = retryCount >= 6 ? MAX_UNITS : Math.min(1L << Math.max(0, retryCount), MAX_UNITS);
    return unit.multipliedBy(units);
  }
}
