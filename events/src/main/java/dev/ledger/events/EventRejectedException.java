package dev.ledger.events;

/**
 * An event that must not be accepted: it cannot be read, is of an unknown type or version, breaks a field rule or
 * carries a bad signature. Consumers send the record to the dead-letter topic with {@link #code()} as the reason.
 */
public abstract class EventRejectedException extends LedgerException {

  protected EventRejectedException(String message) {
    super(message);
  }

  protected EventRejectedException(String message, Throwable cause) {
    super(message, cause);
  }
}
