package dev.ledger.api.commands;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * The order life cycle as the API enforces it before anything is published: pending → acknowledged → completed |
 * failed, and a pending order past its {@code expires_at} is expired whether or not the sweep has said so yet.
 * The projector applies the same rules to the events (so a command that loses a race changes nothing there).
 */
final class OrderRules {
  /** The longest time to live of an order. */
  static final Duration MAX_TTL = Duration.ofDays(7);

  /** What an appliance may do with its order. */
  enum Step {
    ACKNOWLEDGE("acknowledge"), COMPLETE("complete"), FAIL("fail");

    final String verb;

    Step(String verb) {
      this.verb = verb;
    }

    /** The status the order has once this step is applied. */
    String resultingStatus() {
      return switch (this) {
        case ACKNOWLEDGE -> "acknowledged";
        case COMPLETE -> "completed";
        case FAIL -> "failed";
      };
    }
  }

  private OrderRules() {
  }

  /** The status the order has now: a pending order at or past its expiry is expired. */
  static String effectiveStatus(String status, Instant expiresAt, Instant now) {
    return "pending".equals(status) && !now.isBefore(expiresAt) ? "expired" : status;
  }

  /** Why {@code step} is not allowed on an order in this state now, or empty if it is. */
  static Optional<String> conflict(String orderId, String status, Instant expiresAt, Instant now, Step step) {
    String current = effectiveStatus(status, expiresAt, now);
    String allowedFrom = step == Step.ACKNOWLEDGE ? "pending" : "acknowledged";
    if (current.equals(allowedFrom)) {
      return Optional.empty();
    }
    String why = switch (current) {
      case "expired" -> "order " + orderId + " expired at " + expiresAt;
      case "pending" -> "order " + orderId + " is pending: acknowledge it before you " + step.verb + " it";
      default -> "order " + orderId + " is already " + current;
    };
    return Optional.of("cannot " + step.verb + ": " + why);
  }

  /** Why a time to live is not acceptable, or empty if it is. */
  static Optional<String> ttlProblem(long ttlSeconds) {
    if (ttlSeconds <= 0) {
      return Optional.of("ttl_seconds must be positive, got " + ttlSeconds);
    }
    if (ttlSeconds > MAX_TTL.toSeconds()) {
      return Optional.of("ttl_seconds must be at most " + MAX_TTL.toSeconds() + " (7 days), got " + ttlSeconds);
    }
    return Optional.empty();
  }
}
