package dev.ledger.api.reads;

import com.fasterxml.jackson.annotation.JsonRawValue;
import dev.ledger.api.ApiException;
import dev.ledger.api.auth.Caller;
import dev.ledger.api.auth.Tenancy;
import dev.ledger.api.db.ReadStore;
import dev.ledger.api.http.Cursor;
import dev.ledger.api.http.Page;
import dev.ledger.api.http.Params;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * Orders as read models: a site's orders for the dashboard (newest first, keyset on {@code orders_site_issued_idx})
 * and, for an appliance with its own key, its pending orders that have not expired (soonest expiry first, on the
 * partial index {@code orders_pending_idx}). Issuing, acknowledging and completing orders are commands
 * ({@code dev.ledger.api.commands}).
 */
public final class OrderReads {
  static final Set<String> STATUSES = Set.of("pending", "acknowledged", "completed", "failed", "expired");
  private static final String COLUMNS = """
      order_id, site_id, appliance_id, order_type, runbook_id, parameters::text AS parameters, status, issued_by,
      issued_at, expires_at, acknowledged_at, completed_at, result::text AS result, error_message""";

  private final ReadStore store;
  private final Clock clock;

  public OrderReads(ReadStore store, Clock clock) {
    this.store = store;
    this.clock = clock;
  }

  /** An order and where it is in its life cycle. */
  public record Order(String orderId, String siteId, String applianceId, String orderType, String runbookId,
      @JsonRawValue String parameters, String status, String issuedBy, Instant issuedAt, Instant expiresAt,
      Instant acknowledgedAt, Instant completedAt, @JsonRawValue String result, String errorMessage) {
  }

  public void register(RoutesConfig routes) {
    routes.get("/v1/sites/{siteId}/orders", this::list);
    routes.get("/v1/sites/{siteId}/orders/{orderId}", this::one);
    routes.get("/v1/appliance/orders", this::pending);
  }

  private void list(Context ctx) {
    Caller caller = Caller.of(ctx);
    Params p = Params.of(ctx, "status", "appliance_id", "limit", "cursor");
    String siteId = Params.path(ctx, "siteId");
    String status = p.oneOf("status", STATUSES);
    String appliance = p.text("appliance_id");
    int limit = p.limit();
    Cursor cursor = Cursor.decode(p.text("cursor"));
    List<Order> rows = store.siteRows(caller, siteId, "SELECT " + COLUMNS + """
             FROM orders
            WHERE site_id = :site
              AND (CAST(:status AS text) IS NULL OR status = :status)
              AND (CAST(:appliance AS text) IS NULL OR appliance_id = :appliance)
              AND (CAST(:after_at AS timestamptz) IS NULL OR (issued_at, order_id) < (:after_at, :after_id))
            ORDER BY issued_at DESC, order_id DESC LIMIT :limit""",
        q -> q.bind("status", status).bind("appliance", appliance)
            .bind("after_at", cursor == null ? null : cursor.at()).bind("after_id", cursor == null ? null : cursor.id())
            .bind("limit", limit + 1), Order.class);
    String next = null;
    if (rows.size() > limit) {
      rows = List.copyOf(rows.subList(0, limit));
      Order last = rows.get(limit - 1);
      next = new Cursor(last.issuedAt(), last.orderId()).encode();
    }
    ctx.json(new Page<>(rows, limit, null, next));
  }

  private void one(Context ctx) {
    Caller caller = Caller.of(ctx);
    Params.of(ctx);
    String siteId = Params.path(ctx, "siteId");
    String orderId = Params.path(ctx, "orderId");
    ctx.json(store.read(caller, h -> {
      Tenancy.requireSite(h, caller, siteId);
      return h.createQuery("SELECT " + COLUMNS + " FROM orders WHERE site_id = :site AND order_id = :id")
          .bind("site", siteId).bind("id", orderId).mapTo(Order.class).findOne()
          .orElseThrow(() -> new ApiException.NotFound("no order " + orderId + " at site " + siteId));
    }));
  }

  private void pending(Context ctx) {
    Caller caller = Caller.of(ctx);
    Params.of(ctx);
    Instant now = clock.instant();
    List<Order> items = store.read(caller, h -> h.createQuery("SELECT " + COLUMNS + """
             FROM orders
            WHERE appliance_id = :appliance AND site_id = :site AND status = 'pending' AND expires_at > :now
            ORDER BY expires_at""")
        .bind("appliance", caller.applianceId()).bind("site", caller.siteId()).bind("now", now)
        .mapTo(Order.class).list());
    ctx.json(new Page<>(items, items.size(), null, null));
  }
}
