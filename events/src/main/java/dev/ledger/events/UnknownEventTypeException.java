package dev.ledger.events;

/** The envelope names an event type that {@link EventTypes} does not know. */
public final class UnknownEventTypeException extends EventRejectedException {

  private final String type;

  public UnknownEventTypeException(String type) {
    super("unknown event type '" + type + "'");
    this.type = type;
  }

  /** The type name found on the wire. */
  public String type() {
    return type;
  }

  @Override
  public String code() {
    return "unknown_event_type";
  }
}
