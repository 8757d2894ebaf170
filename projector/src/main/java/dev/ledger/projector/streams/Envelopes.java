package dev.ledger.projector.streams;

import dev.ledger.events.Envelope;
import dev.ledger.events.EventSerde;
import dev.ledger.events.InvalidEventException;

/** Reading an input record: the envelope in its bytes, which must belong to the site of its key. */
final class Envelopes {
  private Envelopes() {
  }

  /** The envelope; a {@link dev.ledger.events.LedgerException} names why it cannot be accepted. */
  static Envelope read(String key, byte[] value) {
    Envelope envelope = EventSerde.deserialize(value);
    if (!envelope.siteId().equals(key)) {
      throw new InvalidEventException("site_id",
          "is '" + envelope.siteId() + "' but the record key is '" + key + "'");
    }
    return envelope;
  }
}
