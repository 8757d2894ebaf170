package dev.ledger.events;

import java.time.DateTimeException;
import java.time.ZoneId;

/** A client organisation's site was registered; {@code timezone} is an IANA zone id such as Europe/Berlin. */
public record SiteRegistered(String siteId, String partnerId, String clientOrgId, String name, String timezone)
    implements RegistryEvent {

  public SiteRegistered {
    Require.text(siteId, "site_id");
    Require.text(partnerId, "partner_id");
    Require.text(clientOrgId, "client_org_id");
    Require.text(name, "name");
    requireZone(timezone);
  }

  private static void requireZone(String timezone) {
    try {
      ZoneId.of(Require.text(timezone, "timezone"));
    } catch (DateTimeException e) {
      throw new InvalidEventException("timezone", "is not a zone id: " + timezone);
    }
  }
}
