package dev.ledger.events.merkle;

import dev.ledger.events.LedgerException;

/** A signed note or checkpoint is malformed, or no signature of the expected key verifies. */
public final class InvalidNoteException extends LedgerException {

  public InvalidNoteException(String message) {
    super(message);
  }

  @Override
  public String code() {
    return "invalid_note";
  }
}
