package dev.ledger.events;

/**
 * An appliance was registered at a site with the Ed25519 public key (base64 of its X.509 encoding) that signs its
 * events from now on.
 */
public record ApplianceRegistered(
    String applianceId, String siteId, String hostname, String publicKey, String agentVersion)
    implements RegistryEvent {

  public ApplianceRegistered {
    Require.text(applianceId, "appliance_id");
    Require.text(siteId, "site_id");
    Require.text(hostname, "hostname");
    Require.base64(publicKey, "public_key");
    Require.text(agentVersion, "agent_version");
  }
}
