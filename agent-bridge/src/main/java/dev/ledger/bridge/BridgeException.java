package dev.ledger.bridge;

import dev.ledger.events.LedgerException;

/**
 * A request to the bridge that it refuses, with a stable {@link #code()} and the HTTP status it maps to (the one
 * place that mapping lives). Nothing of a refused request is stored.
 */
public class BridgeException extends LedgerException {
  /** The code of {@link #unavailable}: a dependency is down, not the request wrong. */
  public static final String UNAVAILABLE = "unavailable";

  private final String code;
  private final int httpStatus;

  BridgeException(String code, int httpStatus, String message) {
    super(message);
    this.code = code;
    this.httpStatus = httpStatus;
  }

  BridgeException(String code, int httpStatus, String message, Throwable cause) {
    super(message, cause);
    this.code = code;
    this.httpStatus = httpStatus;
  }

  /** Kafka or another dependency does not answer; the request may succeed later. */
  static BridgeException unavailable(String message, Throwable cause) {
    return new BridgeException(UNAVAILABLE, 503, message, cause);
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
