package dev.ledger.api.reads;

import dev.ledger.api.auth.Caller;
import dev.ledger.api.auth.Tenancy;
import dev.ledger.api.db.ReadStore;
import dev.ledger.api.http.Page;
import dev.ledger.api.http.Params;
import dev.ledger.events.rules.ApplianceLiveness;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import org.jdbi.v3.core.Handle;

/**
 * The fleet: who is calling, partners, client orgs, sites with their appliances counted by liveness, and each
 * site's appliances as online, stale or offline ({@link ApplianceLiveness}, computed at read time).
 */
public final class FleetReads {
  private static final String SITES = """
      SELECT s.site_id, s.partner_id, s.client_org_id, s.name, s.timezone, s.created_at,
             count(a.appliance_id) AS appliances,
             count(a.appliance_id) FILTER (WHERE a.last_checkin > :online_after) AS online,
             count(a.appliance_id) FILTER (WHERE a.last_checkin <= :online_after
                                            AND a.last_checkin > :stale_after) AS stale,
             count(a.appliance_id) FILTER (WHERE a.last_checkin IS NULL
                                            OR a.last_checkin <= :stale_after) AS offline
      FROM sites s LEFT JOIN appliances a ON a.site_id = s.site_id
      WHERE (CAST(:partner AS text) IS NULL OR s.partner_id = :partner) AND %s
      GROUP BY s.site_id
      ORDER BY s.site_id
      LIMIT :limit OFFSET :offset""";

  private final ReadStore store;
  private final Clock clock;

  public FleetReads(ReadStore store, Clock clock) {
    this.store = store;
    this.clock = clock;
  }

  /** A site with its appliances counted by liveness. */
  public record Site(String siteId, String partnerId, String clientOrgId, String name, String timezone,
      Instant createdAt, long appliances, long online, long stale, long offline) {
  }

  /** An appliance of a site and its liveness. */
  public record Appliance(String applianceId, String siteId, String hostname, String agentVersion,
      String ipAddress, Instant lastCheckin, Instant registeredAt, ApplianceLiveness status) {
  }

  record ApplianceRow(String applianceId, String siteId, String hostname, String agentVersion, String ipAddress,
      Instant lastCheckin, Instant registeredAt) {
  }

  /** The authenticated caller. */
  public record Me(String role, String partnerId, String applianceId, String siteId, String keyId) {
  }

  public record Partner(String partnerId, String name, String contactEmail, Instant createdAt) {
  }

  public record ClientOrg(String clientOrgId, String partnerId, String name) {
  }

  public void register(RoutesConfig routes) {
    routes.get("/v1/me", this::me);
    routes.get("/v1/partners", this::partners);
    routes.get("/v1/client-orgs", this::clientOrgs);
    routes.get("/v1/sites", this::sites);
    routes.get("/v1/sites/{siteId}", this::site);
    routes.get("/v1/sites/{siteId}/appliances", this::appliances);
  }

  private void me(Context ctx) {
    Params.of(ctx);
    Caller caller = Caller.of(ctx);
    ctx.json(new Me(caller.role().name().toLowerCase(Locale.ROOT), caller.partnerId(), caller.applianceId(),
        caller.siteId(), caller.keyId()));
  }

  private void partners(Context ctx) {
    Caller caller = Caller.of(ctx);
    Params p = Params.of(ctx, "limit", "offset");
    int limit = p.limit();
    int offset = p.offset();
    List<Partner> items = store.read(caller, h -> h.createQuery("""
            SELECT partner_id, name, contact_email, created_at FROM partners
            WHERE CAST(:partner AS text) IS NULL OR partner_id = :partner
            ORDER BY partner_id LIMIT :limit OFFSET :offset""")
        .bind("partner", Tenancy.partnerFilter(caller)).bind("limit", limit).bind("offset", offset)
        .mapTo(Partner.class).list());
    ctx.json(new Page<>(items, limit, offset, null));
  }

  private void clientOrgs(Context ctx) {
    Caller caller = Caller.of(ctx);
    Params p = Params.of(ctx, "limit", "offset");
    int limit = p.limit();
    int offset = p.offset();
    List<ClientOrg> items = store.read(caller, h -> h.createQuery("""
            SELECT client_org_id, partner_id, name FROM client_orgs
            WHERE CAST(:partner AS text) IS NULL OR partner_id = :partner
            ORDER BY client_org_id LIMIT :limit OFFSET :offset""")
        .bind("partner", Tenancy.partnerFilter(caller)).bind("limit", limit).bind("offset", offset)
        .mapTo(ClientOrg.class).list());
    ctx.json(new Page<>(items, limit, offset, null));
  }

  private void sites(Context ctx) {
    Caller caller = Caller.of(ctx);
    Params p = Params.of(ctx, "client_org_id", "limit", "offset");
    String org = p.text("client_org_id");
    int limit = p.limit();
    int offset = p.offset();
    List<Site> items = store.read(caller, h -> sites(h, caller, org == null ? "TRUE" : "s.client_org_id = :org")
        .bind("org", org).bind("limit", limit).bind("offset", offset).bind("site", (String) null)
        .mapTo(Site.class).list());
    ctx.json(new Page<>(items, limit, offset, null));
  }

  private void site(Context ctx) {
    Caller caller = Caller.of(ctx);
    Params.of(ctx);
    String siteId = Params.path(ctx, "siteId");
    Site site = store.read(caller, h -> {
      Tenancy.requireSite(h, caller, siteId);
      return sites(h, caller, "s.site_id = :site").bind("site", siteId).bind("limit", 1).bind("offset", 0)
          .mapTo(Site.class).one();
    });
    ctx.json(site);
  }

  private org.jdbi.v3.core.statement.Query sites(Handle h, Caller caller, String condition) {
    Instant now = clock.instant();
    // condition is one of this class's constants, never request text.
    return h.createQuery(SITES.formatted(condition))
        .bind("partner", Tenancy.partnerFilter(caller))
        .bind("online_after", now.minus(ApplianceLiveness.ONLINE_WITHIN))
        .bind("stale_after", now.minus(ApplianceLiveness.STALE_WITHIN));
  }

  private void appliances(Context ctx) {
    Caller caller = Caller.of(ctx);
    Params p = Params.of(ctx, "limit", "offset");
    String siteId = Params.path(ctx, "siteId");
    int limit = p.limit();
    int offset = p.offset();
    Instant now = clock.instant();
    List<ApplianceRow> rows = store.siteRows(caller, siteId, """
            SELECT appliance_id, site_id, hostname, agent_version, ip_address, last_checkin, registered_at
            FROM appliances WHERE site_id = :site ORDER BY appliance_id LIMIT :limit OFFSET :offset""",
        q -> q.bind("limit", limit).bind("offset", offset), ApplianceRow.class);
    List<Appliance> items = rows.stream().map(r -> new Appliance(r.applianceId(), r.siteId(), r.hostname(),
        r.agentVersion(), r.ipAddress(), r.lastCheckin(), r.registeredAt(),
        ApplianceLiveness.of(r.lastCheckin(), now))).toList();
    ctx.json(new Page<>(items, limit, offset, null));
  }
}
