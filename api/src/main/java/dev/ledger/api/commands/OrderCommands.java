package dev.ledger.api.commands;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ledger.api.ApiException;
import dev.ledger.api.auth.Caller;
import dev.ledger.api.auth.Tenancy;
import dev.ledger.api.commands.OrderRules.Step;
import dev.ledger.api.http.Params;
import dev.ledger.api.reads.OrderReads.Order;
import dev.ledger.events.Envelope;
import dev.ledger.events.LedgerEvent;
import dev.ledger.events.OrderAcknowledged;
import dev.ledger.events.OrderCompleted;
import dev.ledger.events.OrderFailed;
import dev.ledger.events.OrderIssued;
import dev.ledger.events.UuidV7;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/**
 * Orders as commands. A partner (or the admin) issues an order to an appliance of one of its sites; the appliance,
 * with its own key, acknowledges it and then completes or fails it. Each is authorised (tenant, then the order's
 * own appliance) and checked against {@link OrderRules} before its event is published.
 */
final class OrderCommands {
  static final String DEFAULT_ORDER_TYPE = "run_runbook";
  private static final String ORDER = """
      SELECT order_id, site_id, appliance_id, order_type, runbook_id, parameters::text AS parameters, status,
             issued_by, issued_at, expires_at, acknowledged_at, completed_at, result::text AS result, error_message
      FROM orders WHERE order_id = :id""";
  private static final String APPLIANCE_AT_SITE = """
      SELECT EXISTS (SELECT 1 FROM appliances WHERE appliance_id = :appliance AND site_id = :site)""";

  private final CommandSupport c;

  OrderCommands(CommandSupport support) {
    this.c = support;
  }

  void register(RoutesConfig routes) {
    routes.post("/v1/sites/{siteId}/orders", this::issue);
    routes.post("/v1/appliance/orders/{orderId}/acknowledge", ctx -> step(ctx, Step.ACKNOWLEDGE));
    routes.post("/v1/appliance/orders/{orderId}/complete", ctx -> step(ctx, Step.COMPLETE));
    routes.post("/v1/appliance/orders/{orderId}/fail", ctx -> step(ctx, Step.FAIL));
  }

  private void issue(Context ctx) {
    Caller caller = Caller.of(ctx);
    boolean wait = CommandSupport.waitParam(ctx);
    String siteId = Params.path(ctx, "siteId");
    Body body = Body.parse(ctx.bodyAsBytes(), "appliance_id", "order_type", "runbook_id", "parameters",
        "ttl_seconds");
    String applianceId = body.id("appliance_id");
    String orderType = Objects.requireNonNullElse(body.optionalId("order_type"), DEFAULT_ORDER_TYPE);
    String runbookId = body.id("runbook_id");
    ObjectNode parameters = body.object("parameters");
    long ttl = body.integer("ttl_seconds");
    OrderRules.ttlProblem(ttl).ifPresent(problem -> {
      throw new ApiException.Unprocessable(problem);
    });
    c.store.read(caller, h -> {
      Tenancy.requireSite(h, caller, siteId);
      boolean here = h.createQuery(APPLIANCE_AT_SITE).bind("appliance", applianceId).bind("site", siteId)
          .mapTo(Boolean.class).one();
      if (!here) {
        throw new ApiException.NotFound("no appliance " + applianceId + " at site " + siteId);
      }
      return null;
    });
    Instant now = c.clock.instant();
    String orderId = "ord-" + UuidV7.next();
    Instant expiresAt = now.plusSeconds(ttl);
    Envelope event = Envelope.of(siteId, applianceId, now,
        new OrderIssued(orderId, applianceId, orderType, runbookId, parameters, caller.actor(), expiresAt));
    ctx.header("Location", "/v1/sites/" + siteId + "/orders/" + orderId);
    c.publish(ctx, wait, event, AppliedWait.ORDERS,
        Map.of("order_id", orderId, "site_id", siteId, "appliance_id", applianceId, "expires_at", expiresAt),
        () -> read(caller, orderId));
  }

  private void step(Context ctx, Step step) {
    Caller caller = Caller.of(ctx);
    if (caller.role() != Caller.Role.APPLIANCE) {
      throw new ApiException.Unauthorized("only the order's appliance, with its own key, may " + step.verb + " it");
    }
    boolean wait = CommandSupport.waitParam(ctx);
    String orderId = Params.path(ctx, "orderId");
    Body body = switch (step) {
      case ACKNOWLEDGE -> Body.parse(ctx.bodyAsBytes());
      case COMPLETE -> Body.parse(ctx.bodyAsBytes(), "result");
      case FAIL -> Body.parse(ctx.bodyAsBytes(), "error_message");
    };
    LedgerEvent payload = switch (step) {
      case ACKNOWLEDGE -> new OrderAcknowledged(orderId);
      case COMPLETE -> new OrderCompleted(orderId, body.json("result"));
      case FAIL -> new OrderFailed(orderId, body.text("error_message"));
    };
    // Authorise before anything changes: the order must be this appliance's own (404 otherwise, as for another
    // tenant's), and the step must be allowed now.
    Order order = c.store.read(caller, h -> find(h, orderId)
        .filter(o -> o.applianceId().equals(caller.applianceId()) && o.siteId().equals(caller.siteId()))
        .orElseThrow(() -> new ApiException.NotFound("no order " + orderId + " for this appliance")));
    Instant now = c.clock.instant();
    OrderRules.conflict(orderId, order.status(), order.expiresAt(), now, step).ifPresent(problem -> {
      throw new ApiException.Conflict(problem);
    });
    Envelope event = Envelope.of(order.siteId(), caller.applianceId(), now, payload);
    c.publish(ctx, wait, event, AppliedWait.ORDERS, Map.of("order_id", orderId), () -> {
      Order after = read(caller, orderId);
      if (!after.status().equals(step.resultingStatus())) {
        throw new ApiException.Conflict("the " + step.verb + " of order " + orderId + " was recorded but changed "
            + "nothing: the order is " + OrderRules.effectiveStatus(after.status(), after.expiresAt(), now)
            + " (another change reached the ledger first)");
      }
      return after;
    });
  }

  private Order read(Caller caller, String orderId) {
    return c.store.read(caller, h -> find(h, orderId))
        .orElseThrow(() -> new IllegalStateException("order " + orderId + " applied but not readable"));
  }

  private static Optional<Order> find(Handle h, String orderId) {
    return h.createQuery(ORDER).bind("id", orderId).mapTo(Order.class).findOne();
  }
}
