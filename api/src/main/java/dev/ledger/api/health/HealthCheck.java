package dev.ledger.api.health;

/** One component's view of itself for {@code GET /health}. Implementations answer quickly and never throw. */
@FunctionalInterface
public interface HealthCheck {
  ComponentHealth check();
}
