package dev.ledger.events;

/** An envelope's signature is absent or does not verify against the key registered for its appliance. */
public final class InvalidSignatureException extends EventRejectedException {

  public InvalidSignatureException(String message) {
    super(message);
  }

  @Override
  public String code() {
    return "invalid_signature";
  }
}
