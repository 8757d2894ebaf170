package dev.ledger.migrations;

/** The schema could not be brought up to date; the message names the failing script where there is one. */
public class MigrationException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public MigrationException(String message, Throwable cause) {
    super(message, cause);
  }
}
