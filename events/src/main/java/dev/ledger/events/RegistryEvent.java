package dev.ledger.events;

/** The tenancy tree (partner, client org, site, appliance) and appliance liveness; topic {@code registry-events}. */
public sealed interface RegistryEvent extends LedgerEvent
    permits PartnerRegistered, ClientOrgRegistered, SiteRegistered, ApplianceRegistered, ApplianceCheckedIn {
}
