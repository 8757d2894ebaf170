package dev.ledger.api.health;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.util.Map;

/** The state of one component: up or down, a line an operator can act on, and a few facts. */
public record ComponentHealth(Status status, String detail, Map<String, Object> facts) {
  public enum Status {
    UP,
    DOWN
  }

  public ComponentHealth {
    facts = Map.copyOf(facts);
  }

  public static ComponentHealth up(String detail, Map<String, Object> facts) {
    return new ComponentHealth(Status.UP, detail, facts);
  }

  public static ComponentHealth down(String detail) {
    return new ComponentHealth(Status.DOWN, detail, Map.of());
  }

  @JsonIgnore
  public boolean isUp() {
    return status == Status.UP;
  }
}
