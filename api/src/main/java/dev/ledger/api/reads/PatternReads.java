package dev.ledger.api.reads;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.ledger.api.auth.Caller;
import dev.ledger.api.auth.Tenancy;
import dev.ledger.api.db.ReadStore;
import dev.ledger.api.http.Page;
import dev.ledger.api.http.Params;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.time.Instant;
import java.util.List;

/**
 * Healing pattern statistics per site, the promotion candidates across the caller's sites, and flap
 * suppressions. Fleet-wide pattern rows aggregate every tenant: only the platform admin sees them.
 */
public final class PatternReads {
  private static final String COLUMNS = """
      scope, site_id, pattern_signature, occurrences, l1_resolutions, l2_resolutions, l3_resolutions, successes,
      total_resolution_time_ms, last_seen, last_successful_action, distinct_sites, promotion_eligible,
      promotion_status, updated_at""";

  private final ReadStore store;

  public PatternReads(ReadStore store) {
    this.store = store;
  }

  /** One pattern's statistics; {@code successRate} is successes ÷ occurrences (null with no occurrence). */
  public record Pattern(String scope, String siteId, String patternSignature, long occurrences, long l1Resolutions,
      long l2Resolutions, long l3Resolutions, long successes, long totalResolutionTimeMs, Instant lastSeen,
      String lastSuccessfulAction, int distinctSites, boolean promotionEligible, String promotionStatus,
      Instant updatedAt) {
    @JsonProperty("success_rate")
    public Double successRate() {
      return occurrences == 0 ? null : (double) successes / occurrences;
    }
  }

  /** A flap suppression of (site, host, incident type). */
  public record FlapSuppression(String siteId, String hostname, String incidentType, int healCount,
      int windowMinutes, Instant firstHealAt, Instant lastHealAt, Instant suppressedAt, Instant clearedAt,
      String clearedBy, String clearReason, boolean active) {
  }

  public void register(RoutesConfig routes) {
    routes.get("/v1/sites/{siteId}/patterns", this::sitePatterns);
    routes.get("/v1/promotion-candidates", this::candidates);
    routes.get("/v1/sites/{siteId}/flap-suppressions", this::flaps);
  }

  private void sitePatterns(Context ctx) {
    Caller caller = Caller.of(ctx);
    Params p = Params.of(ctx, "eligible", "limit", "offset");
    String siteId = Params.path(ctx, "siteId");
    Boolean eligible = p.bool("eligible");
    int limit = p.limit();
    int offset = p.offset();
    List<Pattern> items = store.siteRows(caller, siteId, "SELECT " + COLUMNS + """
             FROM pattern_stats
            WHERE scope = 'site' AND site_id = :site
              AND (CAST(:eligible AS boolean) IS NULL OR promotion_eligible = :eligible)
            ORDER BY last_seen DESC, pattern_signature LIMIT :limit OFFSET :offset""",
        q -> q.bind("eligible", eligible).bind("limit", limit).bind("offset", offset), Pattern.class);
    ctx.json(new Page<>(items, limit, offset, null));
  }

  private void candidates(Context ctx) {
    Caller caller = Caller.of(ctx);
    Params p = Params.of(ctx, "scope", "limit", "offset");
    String scope = p.oneOf("scope", java.util.Set.of("site", "fleet"));
    int limit = p.limit();
    int offset = p.offset();
    List<Pattern> items = store.read(caller, h -> h.createQuery("SELECT " + COLUMNS + """
             FROM pattern_stats
            WHERE promotion_eligible
              AND (CAST(:scope AS text) IS NULL OR scope = :scope)
              AND (CAST(:partner AS text) IS NULL
                   OR site_id IN (SELECT site_id FROM sites WHERE partner_id = :partner))
            ORDER BY last_seen DESC, scope, site_id, pattern_signature LIMIT :limit OFFSET :offset""")
        .bind("scope", scope).bind("partner", Tenancy.partnerFilter(caller)).bind("limit", limit)
        .bind("offset", offset).mapTo(Pattern.class).list());
    ctx.json(new Page<>(items, limit, offset, null));
  }

  private void flaps(Context ctx) {
    Caller caller = Caller.of(ctx);
    Params p = Params.of(ctx, "active", "limit", "offset");
    String siteId = Params.path(ctx, "siteId");
    Boolean active = p.bool("active");
    int limit = p.limit();
    int offset = p.offset();
    List<FlapSuppression> items = store.siteRows(caller, siteId, """
            SELECT site_id, hostname, incident_type, heal_count, window_minutes, first_heal_at, last_heal_at,
                   suppressed_at, cleared_at, cleared_by, clear_reason, active
            FROM flap_suppressions
            WHERE site_id = :site AND (CAST(:active AS boolean) IS NULL OR active = :active)
            ORDER BY suppressed_at DESC NULLS LAST, hostname, incident_type LIMIT :limit OFFSET :offset""",
        q -> q.bind("active", active).bind("limit", limit).bind("offset", offset), FlapSuppression.class);
    ctx.json(new Page<>(items, limit, offset, null));
  }
}
