package dev.ledger.events;

/** The bytes are not a JSON object: truncated, not JSON at all, or JSON of another shape. */
public final class MalformedEventException extends EventRejectedException {

  public MalformedEventException(String message, Throwable cause) {
    super(message, cause);
  }

  @Override
  public String code() {
    return "malformed_event";
  }
}
