package dev.ledger.events;

/** Text that should hold an encoded Ed25519 key does not decode to one. */
public final class InvalidKeyMaterialException extends LedgerException {

  public InvalidKeyMaterialException(String message, Throwable cause) {
    super(message, cause);
  }

  @Override
  public String code() {
    return "invalid_key";
  }
}
