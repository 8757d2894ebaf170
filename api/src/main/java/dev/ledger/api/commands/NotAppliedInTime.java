package dev.ledger.api.commands;

import dev.ledger.api.ApiException;

/**
 * 504 for {@code ?wait=true}: the event is on the ledger (its id is in the detail and the {@code Ledger-Event-Id}
 * header) but the projection did not apply it within the wait. It will be applied; do not send the command again.
 */
final class NotAppliedInTime extends ApiException {
  NotAppliedInTime(String detail) {
    super(504, "Gateway Timeout", detail);
  }
}
