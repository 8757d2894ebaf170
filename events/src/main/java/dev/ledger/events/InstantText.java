package dev.ledger.events;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import java.io.IOException;
import java.time.DateTimeException;
import java.time.Instant;

/** Reads instants only as ISO-8601 text in UTC ending in {@code Z}, the form the wire format writes. */
final class InstantText extends StdScalarDeserializer<Instant> {

  private static final long serialVersionUID = 1L;

  InstantText() {
    super(Instant.class);
  }

  @Override
  public Instant deserialize(JsonParser parser, DeserializationContext context) throws IOException {
    if (parser.currentToken() != JsonToken.VALUE_STRING) {
      return (Instant) context.handleUnexpectedToken(Instant.class, parser);
    }
    String text = parser.getText();
    try {
      if (text.endsWith("Z")) {
        return Instant.parse(text);
      }
    } catch (DateTimeException e) {
      // reported below
    }
    return (Instant) context.handleWeirdStringValue(Instant.class, text, "not an ISO-8601 UTC instant");
  }
}
