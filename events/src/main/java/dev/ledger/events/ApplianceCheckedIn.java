package dev.ledger.events;

/** An appliance reported that it is alive. {@code ipAddress} is optional. */
public record ApplianceCheckedIn(String applianceId, String agentVersion, String ipAddress, long uptimeSeconds)
    implements RegistryEvent {

  public ApplianceCheckedIn {
    Require.text(applianceId, "appliance_id");
    Require.text(agentVersion, "agent_version");
    Require.nonNegative(uptimeSeconds, "uptime_seconds");
  }
}
