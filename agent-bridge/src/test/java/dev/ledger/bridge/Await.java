package dev.ledger.bridge;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Waits for a condition with a deadline; fails with what was awaited. */
final class Await {
  private Await() {
  }

  static void until(String what, BooleanSupplier condition) throws InterruptedException {
    until(what, Duration.ofSeconds(60), condition);
  }

  static void until(String what, Duration timeout, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out after " + timeout + " waiting for " + what);
      }
      Thread.sleep(50);
    }
  }
}
