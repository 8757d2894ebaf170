package dev.ledger.api.commands;

import dev.ledger.api.ApiException;

/** 503: Kafka did not confirm the command's event in time (or the API is shutting down its publisher). */
final class Unavailable extends ApiException {
  Unavailable(String detail) {
    super(503, "Service Unavailable", detail);
  }
}
