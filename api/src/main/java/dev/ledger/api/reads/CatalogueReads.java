package dev.ledger.api.reads;

import com.fasterxml.jackson.annotation.JsonRawValue;
import dev.ledger.api.ApiException;
import dev.ledger.api.auth.Caller;
import dev.ledger.api.db.ReadStore;
import dev.ledger.api.http.Page;
import dev.ledger.api.http.Params;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * Read-only catalogues: CVEs, a site's CVE exposure, compliance frameworks and their controls with the check
 * types that give evidence for each.
 */
public final class CatalogueReads {
  static final Set<String> MATCH_STATUSES = Set.of("open", "mitigated", "accepted");

  private final ReadStore store;

  public CatalogueReads(ReadStore store) {
    this.store = store;
  }

  public record Cve(String cveId, String severity, BigDecimal cvssScore, String description,
      @JsonRawValue String affectedProducts, Instant publishedAt, Instant updatedAt) {
  }

  public record CveMatch(String cveId, String applianceId, String siteId, String product, String installedVersion,
      Instant matchedAt, String status, String severity, BigDecimal cvssScore) {
  }

  public record Framework(String frameworkId, String name, String version) {
  }

  public record Control(String frameworkId, String controlId, String title, String description,
      List<String> checkTypes) {
  }

  record ControlRow(String frameworkId, String controlId, String title, String description, String checkTypes) {
  }

  public void register(RoutesConfig routes) {
    routes.get("/v1/cves", this::cves);
    routes.get("/v1/sites/{siteId}/cves", this::siteCves);
    routes.get("/v1/frameworks", this::frameworks);
    routes.get("/v1/frameworks/{frameworkId}/controls", this::controls);
  }

  private void cves(Context ctx) {
    Caller caller = Caller.of(ctx);
    Params p = Params.of(ctx, "severity", "limit", "offset");
    String severity = p.text("severity");
    int limit = p.limit();
    int offset = p.offset();
    List<Cve> items = store.read(caller, h -> h.createQuery("""
            SELECT cve_id, severity, cvss_score, description, affected_products::text AS affected_products,
                   published_at, updated_at
            FROM cve_entries WHERE CAST(:severity AS text) IS NULL OR severity = :severity
            ORDER BY published_at DESC NULLS LAST, cve_id LIMIT :limit OFFSET :offset""")
        .bind("severity", severity).bind("limit", limit).bind("offset", offset).mapTo(Cve.class).list());
    ctx.json(new Page<>(items, limit, offset, null));
  }

  private void siteCves(Context ctx) {
    Caller caller = Caller.of(ctx);
    Params p = Params.of(ctx, "status", "limit", "offset");
    String siteId = Params.path(ctx, "siteId");
    String status = p.oneOf("status", MATCH_STATUSES);
    int limit = p.limit();
    int offset = p.offset();
    List<CveMatch> items = store.siteRows(caller, siteId, """
            SELECT m.cve_id, m.appliance_id, m.site_id, m.product, m.installed_version, m.matched_at, m.status,
                   e.severity, e.cvss_score
            FROM cve_fleet_matches m LEFT JOIN cve_entries e ON e.cve_id = m.cve_id
            WHERE m.site_id = :site AND (CAST(:status AS text) IS NULL OR m.status = :status)
            ORDER BY e.cvss_score DESC NULLS LAST, m.cve_id, m.appliance_id, m.product
            LIMIT :limit OFFSET :offset""",
        q -> q.bind("status", status).bind("limit", limit).bind("offset", offset), CveMatch.class);
    ctx.json(new Page<>(items, limit, offset, null));
  }

  private void frameworks(Context ctx) {
    Caller caller = Caller.of(ctx);
    Params.of(ctx);
    List<Framework> items = store.read(caller, h -> h.createQuery(
        "SELECT framework_id, name, version FROM compliance_frameworks ORDER BY framework_id")
        .mapTo(Framework.class).list());
    ctx.json(new Page<>(items, items.size(), null, null));
  }

  private void controls(Context ctx) {
    Caller caller = Caller.of(ctx);
    Params p = Params.of(ctx, "limit", "offset");
    String frameworkId = Params.path(ctx, "frameworkId");
    int limit = p.limit();
    int offset = p.offset();
    List<ControlRow> rows = store.read(caller, h -> {
      h.createQuery("SELECT framework_id FROM compliance_frameworks WHERE framework_id = :id")
          .bind("id", frameworkId).mapTo(String.class).findOne()
          .orElseThrow(() -> new ApiException.NotFound("no framework " + frameworkId));
      return h.createQuery("""
              SELECT c.framework_id, c.control_id, c.title, c.description,
                     coalesce(string_agg(m.check_type, chr(31) ORDER BY m.check_type), '') AS check_types
              FROM framework_controls c
              LEFT JOIN control_check_mappings m
                ON m.framework_id = c.framework_id AND m.control_id = c.control_id
              WHERE c.framework_id = :id
              GROUP BY c.framework_id, c.control_id
              ORDER BY c.control_id LIMIT :limit OFFSET :offset""")
          .bind("id", frameworkId).bind("limit", limit).bind("offset", offset).mapTo(ControlRow.class).list();
    });
    List<Control> items = rows.stream().map(r -> new Control(r.frameworkId(), r.controlId(), r.title(),
        r.description(), r.checkTypes().isEmpty() ? List.of() : List.of(r.checkTypes().split("\u001f")))).toList();
    ctx.json(new Page<>(items, limit, offset, null));
  }
}
