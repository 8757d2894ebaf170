package dev.ledger.api.auth;

import dev.ledger.api.ApiException;
import java.util.List;
import org.jdbi.v3.core.Handle;

/**
 * "May this caller see this resource?" Each answer is yes (the resource's owning ids) or a 404 that does not tell
 * another tenant's resource from a missing one. Run inside {@code ReadStore.read}, or on what {@code
 * ReadStore.readSite} looked up: row-level security is the second wall behind these checks, so either alone keeps
 * tenants apart.
 */
public final class Tenancy {
  /** The lookup behind {@link #requireSite}; binds {@code site}. Public for benchmarks that run it directly. */
  public static final String SITE = "SELECT site_id, partner_id, client_org_id FROM sites WHERE site_id = :site";

  private Tenancy() {
  }

  /** The site's ids if the caller may see it; 404 otherwise. */
  public static SiteRef requireSite(Handle h, Caller caller, String siteId) {
    return requireVisible(caller, h.createQuery(SITE).bind("site", siteId).mapTo(SiteRef.class).findOne()
        .orElse(null), siteId);
  }

  /** {@code site} (what {@link #SITE} found, or null) if the caller may see it; 404 naming {@code siteId} else. */
  public static SiteRef requireVisible(Caller caller, SiteRef site, String siteId) {
    if (site == null || !maySee(caller, site)) {
      throw new ApiException.NotFound("no site " + siteId);
    }
    return site;
  }

  /** The appliance's site if the caller may see the appliance; 404 otherwise. */
  public static SiteRef requireAppliance(Handle h, Caller caller, String applianceId) {
    if (caller.role() == Caller.Role.APPLIANCE && !caller.applianceId().equals(applianceId)) {
      throw new ApiException.NotFound("no appliance " + applianceId);
    }
    String siteId = h.createQuery("SELECT site_id FROM appliances WHERE appliance_id = :id")
        .bind("id", applianceId).mapTo(String.class).findOne()
        .orElseThrow(() -> new ApiException.NotFound("no appliance " + applianceId));
    try {
      return requireSite(h, caller, siteId);
    } catch (ApiException.NotFound e) {
      throw new ApiException.NotFound("no appliance " + applianceId);
    }
  }

  /** The client org's sites if the caller may see the org; 404 otherwise. Partners and the admin only. */
  public static List<String> requireClientOrg(Handle h, Caller caller, String clientOrgId) {
    String partnerId = h.createQuery("SELECT partner_id FROM client_orgs WHERE client_org_id = :id")
        .bind("id", clientOrgId).mapTo(String.class).findOne().orElse(null);
    boolean visible = partnerId != null
        && (caller.isAdmin() || caller.role() == Caller.Role.PARTNER && caller.partnerId().equals(partnerId));
    if (!visible) {
      throw new ApiException.NotFound("no client org " + clientOrgId);
    }
    return h.createQuery("""
            SELECT site_id FROM sites WHERE client_org_id = :org AND partner_id = :partner ORDER BY site_id""")
        .bind("org", clientOrgId).bind("partner", partnerId).mapTo(String.class).list();
  }

  /** The partner whose rows the caller reads; null for the admin, who reads every partner's. */
  public static String partnerFilter(Caller caller) {
    return caller.role() == Caller.Role.PARTNER ? caller.partnerId() : null;
  }

  /** Whether the caller may see this site (a read that fetched the site itself must 404 unless so). */
  public static boolean maySee(Caller caller, SiteRef site) {
    return switch (caller.role()) {
      case ADMIN -> true;
      case PARTNER -> caller.partnerId().equals(site.partnerId());
      case APPLIANCE -> caller.siteId().equals(site.siteId());
    };
  }

  /** The ids that own a site. */
  public record SiteRef(String siteId, String partnerId, String clientOrgId) {
  }
}
