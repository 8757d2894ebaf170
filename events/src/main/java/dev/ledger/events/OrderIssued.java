package dev.ledger.events;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/**
 * An order was issued to an appliance and is pending until acknowledged or past {@code expiresAt}.
 * {@code runbookId} is optional; absent {@code parameters} are JSON null.
 */
public record OrderIssued(
    String orderId,
    String applianceId,
    String orderType,
    String runbookId,
    JsonNode parameters,
    String issuedBy,
    Instant expiresAt) implements OrderEvent {

  public OrderIssued {
    Require.text(orderId, "order_id");
    Require.text(applianceId, "appliance_id");
    Require.text(orderType, "order_type");
    parameters = Require.json(parameters);
    Require.text(issuedBy, "issued_by");
    Require.present(expiresAt, "expires_at");
  }
}
