package dev.ledger.events;

/**
 * Root of the project's unchecked exceptions. Each subclass has a stable short {@link #code()} that the api maps
 * to an HTTP status, the cli to an exit code and the projector to a dead-letter reason; never reword a code.
 */
public abstract class LedgerException extends RuntimeException {

  protected LedgerException(String message) {
    super(message);
  }

  protected LedgerException(String message, Throwable cause) {
    super(message, cause);
  }

  /** A stable, lowercase snake_case identifier of this failure class, such as {@code invalid_event}. */
  public abstract String code();
}
