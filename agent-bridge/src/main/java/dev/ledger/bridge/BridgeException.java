package dev.ledger.bridge;

import dev.ledger.events.LedgerException;

/**
 * A request to the bridge that it refuses, with a stable {@link #code()} and the HTTP status it maps to (the one
 * place that mapping lives). Nothing of a refused request is stored.
 */
public class BridgeException extends LedgerException {
  private final String code;
  private final int httpStatus;

  BridgeException(String code, int httpStatus, String message) {
    super(message);
    this.code = code;
    this.httpStatus = httpStatus;
  }

  /** Bad input from the agent: malformed, missing or invalid fields, a site this bridge does not serve. */
  public static BridgeException badInput(String message) {
    return new BridgeException("bad_input", 400, message);
  }

  static BridgeException notFound(String message) {
    return new BridgeException("not_found", 404, message);
  }

  static BridgeException conflict(String message) {
    return new BridgeException("conflict", 409, message);
  }

  /** The bounded evidence queue is full: the bundle is refused, never dropped silently. */
  static BridgeException queueFull(String message) {
    return new BridgeException("evidence_queue_full", 503, message);
  }

  @Override
  public String code() {
    return code;
  }

  public int httpStatus() {
    return httpStatus;
  }
}
