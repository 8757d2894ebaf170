package dev.ledger.projector.tables;

import static dev.ledger.projector.tables.OrderedStatements.text;

import dev.ledger.events.Envelope;
import dev.ledger.events.InvalidEventException;
import dev.ledger.events.OrderAcknowledged;
import dev.ledger.events.OrderCompleted;
import dev.ledger.events.OrderExpired;
import dev.ledger.events.OrderFailed;
import dev.ledger.events.OrderIssued;
import java.util.List;
import org.jdbi.v3.core.Handle;

/**
 * orders from the order topic. The life cycle is enforced by each update's WHERE clause: pending → acknowledged
 * → completed | failed, pending → expired; a transition from any other state changes nothing, so a duplicate or
 * late event is harmless. Time decides between an acknowledgement and the expiry, whichever Kafka delivers first:
 * an acknowledgement that occurred at or after expires_at, and an expiry that claims to come before it, change
 * nothing. An order's events share its site's partition, so every replay sees them in the same order.
 */
final class OrderProjection implements Projection {
  static final String NAME = "orders";

  private static final String ISSUED = """
      INSERT INTO orders (order_id, site_id, appliance_id, order_type, runbook_id, parameters, status, issued_by,
        issued_at, expires_at)
      VALUES (?, ?, ?, ?, ?, ?::jsonb, 'pending', ?, ?::timestamptz, ?::timestamptz)
      ON CONFLICT (order_id) DO NOTHING""";
  private static final String ACKNOWLEDGED = """
      UPDATE orders SET status = 'acknowledged', acknowledged_at = ?::timestamptz
      WHERE order_id = ? AND status = 'pending' AND expires_at > ?::timestamptz""";
  private static final String COMPLETED = """
      UPDATE orders SET status = 'completed', completed_at = ?::timestamptz, result = ?::jsonb
      WHERE order_id = ? AND status = 'acknowledged'""";
  private static final String FAILED = """
      UPDATE orders SET status = 'failed', completed_at = ?::timestamptz, error_message = ?
      WHERE order_id = ? AND status = 'acknowledged'""";
  private static final String EXPIRED = """
      UPDATE orders SET status = 'expired'
      WHERE order_id = ? AND status = 'pending' AND expires_at <= ?::timestamptz""";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public List<String> topics(ProjectorTopics topics) {
    return List.of(topics.orders());
  }

  @Override
  public void apply(Handle handle, List<Incoming> events, WriteMode mode) {
    OrderedStatements sql = new OrderedStatements(handle, mode);
    for (Incoming in : events) {
      Envelope e = in.envelope();
      String at = text(e.occurredAt());
      if (e.payload() instanceof OrderIssued o) {
        sql.add(ISSUED, o.orderId(), e.siteId(), o.applianceId(), o.orderType(), o.runbookId(),
            text(o.parameters()), o.issuedBy(), at, text(o.expiresAt()));
      } else if (e.payload() instanceof OrderAcknowledged o) {
        sql.add(ACKNOWLEDGED, at, o.orderId(), at);
      } else if (e.payload() instanceof OrderCompleted o) {
        sql.add(COMPLETED, at, text(o.result()), o.orderId());
      } else if (e.payload() instanceof OrderFailed o) {
        sql.add(FAILED, at, o.errorMessage(), o.orderId());
      } else if (e.payload() instanceof OrderExpired o) {
        sql.add(EXPIRED, o.orderId(), at);
      } else {
        throw new InvalidEventException("type", e.type() + " is not an order event");
      }
    }
    sql.flush();
  }
}
