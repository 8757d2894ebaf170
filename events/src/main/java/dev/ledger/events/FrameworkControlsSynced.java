package dev.ledger.events;

/** The controls of a compliance framework version (HIPAA, SOC 2, ...) were loaded. */
public record FrameworkControlsSynced(String framework, String version, int controlCount) implements FrameworkEvent {

  public FrameworkControlsSynced {
    Require.text(framework, "framework");
    Require.text(version, "version");
    Require.nonNegative(controlCount, "control_count");
  }
}
