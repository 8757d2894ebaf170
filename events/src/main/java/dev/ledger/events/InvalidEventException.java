package dev.ledger.events;

/**
 * A field of an envelope or event is missing or breaks its rule. {@link #field()} is the wire name, with a path
 * where the field is nested (for example {@code payload.checks[0].status}).
 */
public final class InvalidEventException extends EventRejectedException {

  private final String field;
  private final String reason;

  public InvalidEventException(String field, String reason) {
    super("invalid field '" + field + "': " + reason);
    this.field = field;
    this.reason = reason;
  }

  public String field() {
    return field;
  }

  public String reason() {
    return reason;
  }

  @Override
  public String code() {
    return "invalid_event";
  }
}
