package dev.ledger.projector.tables;

import java.time.Instant;
import java.util.List;
import org.jdbi.v3.core.Handle;

/**
 * The orders an appliance should run now: pending and not expired, soonest expiry first. Served by the partial
 * index {@code orders_pending_idx (appliance_id, expires_at) WHERE status = 'pending'}.
 */
public final class PendingOrders {
  static final String SQL = """
      SELECT order_id, order_type, runbook_id, parameters::text AS parameters, issued_at, expires_at
      FROM orders
      WHERE appliance_id = ? AND status = 'pending' AND expires_at > ?::timestamptz
      ORDER BY expires_at""";

  /** One pending order; {@code parameters} is its JSON object as text. */
  public record PendingOrder(
      String orderId, String orderType, String runbookId, String parameters, Instant issuedAt, Instant expiresAt) {
  }

  private PendingOrders() {
  }

  public static List<PendingOrder> of(Handle handle, String applianceId, Instant now) {
    return handle.createQuery(SQL)
        .bind(0, applianceId)
        .bind(1, now.toString())
        .map((rs, ctx) -> new PendingOrder(rs.getString("order_id"), rs.getString("order_type"),
            rs.getString("runbook_id"), rs.getString("parameters"),
            rs.getTimestamp("issued_at").toInstant(), rs.getTimestamp("expires_at").toInstant()))
        .list();
  }
}
