package dev.ledger.api.reads;

import com.fasterxml.jackson.annotation.JsonRawValue;
import dev.ledger.api.ApiException;
import dev.ledger.api.auth.Caller;
import dev.ledger.api.auth.Tenancy;
import dev.ledger.api.db.ReadStore;
import dev.ledger.api.http.Cursor;
import dev.ledger.api.http.Page;
import dev.ledger.api.http.Params;
import dev.ledger.events.rules.IncidentIds;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.jdbi.v3.core.statement.Query;

/**
 * A site's incidents: the list (filters, newest first, keyset cursor or limit/offset), one incident, and the
 * aggregate (COUNT(*) FILTER). The list walks {@code incidents_site_detected_idx (site_id, detected_at DESC,
 * incident_id DESC)}; filters are fixed SQL fragments with bound values, chosen by which parameters are present.
 */
public final class IncidentReads {
  static final Set<String> LEVELS = Set.of("L1", "L2", "L3");
  static final Set<String> OUTCOMES = Set.of("success", "failure", "partial", "escalated", "timeout");
  static final Set<String> STATUSES = Set.of("open", "resolved", "escalated");
  private static final String COLUMNS = """
      incident_id, site_id, appliance_id, hostname, incident_type, severity, check_type, drift_type,
      service_name, error_message, pattern_signature, status, resolution_level, resolution_action, outcome,
      resolution_time_ms, detected_at, resolved_at, escalated_at, resolved_by_bundle""";

  private final ReadStore store;

  public IncidentReads(ReadStore store) {
    this.store = store;
  }

  /**
   * One incident as listed. {@code resolvedByBundle} names the evidence bundle whose passing check resolved it
   * (then {@code resolvedAt} is that check's time and the resolution fields are null).
   */
  public record Incident(String incidentId, String siteId, String applianceId, String hostname, String incidentType,
      String severity, String checkType, String driftType, String serviceName, String errorMessage,
      String patternSignature, String status, String resolutionLevel, String resolutionAction, String outcome,
      Long resolutionTimeMs, Instant detectedAt, Instant resolvedAt, Instant escalatedAt, String resolvedByBundle) {
  }

  /** One incident with the detector's payload. */
  public record IncidentDetail(String incidentId, String siteId, String applianceId, String hostname,
      String incidentType, String severity, String checkType, String driftType, String serviceName,
      String errorMessage, String patternSignature, String status, String resolutionLevel, String resolutionAction,
      String outcome, Long resolutionTimeMs, Instant detectedAt, Instant resolvedAt, Instant escalatedAt,
      String resolvedByBundle, @JsonRawValue String rawData) {
  }

  /** A site's incidents counted. */
  public record Stats(String siteId, Instant from, Instant to, long total, long open, long resolved,
      long escalated, long successes, long l1, long l2, long l3) {
  }

  /** The filters of a list or an aggregate, each null when absent. */
  record Filter(String type, String severity, String level, String outcome, String status, Instant from,
      Instant to) {
    static Filter of(Params p) {
      Instant from = p.instant("from");
      Instant to = p.instant("to");
      Params.requireOrder(from, to);
      return new Filter(p.text("type"), p.text("severity"), p.oneOf("level", LEVELS),
          p.oneOf("outcome", OUTCOMES), p.oneOf("status", STATUSES), from, to);
    }

    /** The WHERE clause after {@code site_id = :site}: constant fragments only. */
    String sql() {
      StringBuilder where = new StringBuilder();
      if (type != null) {
        where.append(" AND incident_type = :type");
      }
      if (severity != null) {
        where.append(" AND severity = :severity");
      }
      if (level != null) {
        where.append(" AND resolution_level = :level");
      }
      if (outcome != null) {
        where.append(" AND outcome = :outcome");
      }
      if (status != null) {
        where.append(" AND status = :status");
      }
      if (from != null) {
        where.append(" AND detected_at >= :from");
      }
      if (to != null) {
        where.append(" AND detected_at < :to");
      }
      return where.toString();
    }

    Query bind(Query q) {
      return q.bind("type", type).bind("severity", severity).bind("level", level).bind("outcome", outcome)
          .bind("status", status).bind("from", from).bind("to", to);
    }
  }

  private static final String STATS = """
      SELECT CAST(:site AS text) AS site_id, CAST(:from AS timestamptz) AS "from",
             CAST(:to AS timestamptz) AS "to",
             count(*) AS total,
             count(*) FILTER (WHERE status = 'open') AS open,
             count(*) FILTER (WHERE status = 'resolved') AS resolved,
             count(*) FILTER (WHERE status = 'escalated') AS escalated,
             count(*) FILTER (WHERE outcome = 'success') AS successes,
             count(*) FILTER (WHERE resolution_level = 'L1') AS l1,
             count(*) FILTER (WHERE resolution_level = 'L2') AS l2,
             count(*) FILTER (WHERE resolution_level = 'L3') AS l3
      FROM incidents WHERE site_id = :site""";
  private static final Filter NONE = new Filter(null, null, null, null, null, null, null);

  /** The list's SQL for these filters, after a cursor or not (named parameters, constant fragments only). */
  static String listSql(Filter filter, boolean afterCursor) {
    return "SELECT " + COLUMNS + " FROM incidents WHERE site_id = :site" + filter.sql()
        + (afterCursor ? " AND (detected_at, incident_id) < (:after_at, :after_id)" : "")
        + " ORDER BY detected_at DESC, incident_id DESC LIMIT :limit OFFSET :offset";
  }

  static String statsSql(Filter filter) {
    return STATS + filter.sql();
  }

  /**
   * What {@code GET /v1/sites/{siteId}/incidents} runs without filters (the first page): binds {@code site},
   * {@code limit} (the page size + 1) and {@code offset}. Public for benchmarks that run the same SQL directly.
   */
  public static String firstPageSql() {
    return listSql(NONE, false);
  }

  /**
   * What {@code GET /v1/sites/{siteId}/incident-stats} runs without filters: binds {@code site}, {@code from} and
   * {@code to} (null). Public for benchmarks that run the same SQL directly.
   */
  public static String siteStatsSql() {
    return statsSql(NONE);
  }

  public void register(RoutesConfig routes) {
    routes.get("/v1/sites/{siteId}/incidents", this::list);
    routes.get("/v1/sites/{siteId}/incidents/{incidentId}", this::one);
    routes.get("/v1/sites/{siteId}/incident-stats", this::stats);
  }

  private void list(Context ctx) {
    Caller caller = Caller.of(ctx);
    Params p = Params.of(ctx, "type", "severity", "level", "outcome", "status", "from", "to", "limit", "offset",
        "cursor");
    String siteId = Params.path(ctx, "siteId");
    Filter filter = Filter.of(p);
    int limit = p.limit();
    int offset = p.offset();
    Cursor cursor = Cursor.decode(p.text("cursor"));
    if (cursor != null && offset != 0) {
      throw new ApiException.BadRequest("give cursor or offset, not both");
    }
    // The dashboard's hottest read: scope, site check and page in one round trip (ReadStore.readSite).
    List<Incident> rows = store.siteRows(caller, siteId, listSql(filter, cursor != null), q -> {
      filter.bind(q).bind("limit", limit + 1).bind("offset", offset);
      return cursor == null ? q : q.bind("after_at", cursor.at()).bind("after_id", cursor.id());
    }, Incident.class);
    ctx.json(page(rows, limit, cursor == null ? offset : null));
  }

  static Page<Incident> page(List<Incident> rows, int limit, Integer offset) {
    if (rows.size() <= limit) {
      return new Page<>(rows, limit, offset, null);
    }
    List<Incident> items = rows.subList(0, limit);
    Incident last = items.get(limit - 1);
    return new Page<>(List.copyOf(items), limit, offset, new Cursor(last.detectedAt(), last.incidentId()).encode());
  }

  private void one(Context ctx) {
    Caller caller = Caller.of(ctx);
    Params.of(ctx);
    String siteId = Params.path(ctx, "siteId");
    String incidentId = Params.path(ctx, "incidentId");
    if (!IncidentIds.isValid(incidentId)) {
      throw new ApiException.BadRequest("incidentId must look like INC-<yyyyMMddHHmmss><6-digit micros><4 hex>, got '"
          + incidentId + "'");
    }
    ctx.json(store.read(caller, h -> {
      Tenancy.requireSite(h, caller, siteId);
      return h.createQuery("SELECT " + COLUMNS + ", raw_data::text AS raw_data FROM incidents "
              + "WHERE site_id = :site AND incident_id = :id")
          .bind("site", siteId).bind("id", incidentId).mapTo(IncidentDetail.class).findOne()
          .orElseThrow(() -> new ApiException.NotFound("no incident " + incidentId + " at site " + siteId));
    }));
  }

  private void stats(Context ctx) {
    Caller caller = Caller.of(ctx);
    Params p = Params.of(ctx, "type", "severity", "from", "to");
    String siteId = Params.path(ctx, "siteId");
    Filter filter = Filter.of(p);
    ctx.json(store.siteRows(caller, siteId, statsSql(filter), filter::bind, Stats.class).get(0));
  }
}
