package dev.ledger.events;

/** An MSP partner joined; the root of a tenant tree. {@code contactEmail} is optional. */
public record PartnerRegistered(String partnerId, String name, String contactEmail) implements RegistryEvent {

  public PartnerRegistered {
    Require.text(partnerId, "partner_id");
    Require.text(name, "name");
  }
}
