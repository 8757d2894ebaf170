package dev.ledger.events;

/** A partner took on a client organisation (a clinic, a practice). */
public record ClientOrgRegistered(String clientOrgId, String partnerId, String name) implements RegistryEvent {

  public ClientOrgRegistered {
    Require.text(clientOrgId, "client_org_id");
    Require.text(partnerId, "partner_id");
    Require.text(name, "name");
  }
}
