package dev.ledger.embedded;

/**
 * Infrastructure could not be started or reached: a port in use, a data directory that is not writable, an
 * external broker or database that does not answer. The message is written for the operator and names what to
 * change; callers show it without a stack trace.
 */
public class InfrastructureException extends RuntimeException {
  public InfrastructureException(String message) {
    super(message);
  }

  public InfrastructureException(String message, Throwable cause) {
    super(message, cause);
  }
}
