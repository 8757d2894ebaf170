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
        Instant fast = parseCommon(text);
        return fast != null ? fast : Instant.parse(text);
      }
    } catch (DateTimeException e) {
      // reported below
    }
    return (Instant) context.handleWeirdStringValue(Instant.class, text, "not an ISO-8601 UTC instant");
  }

  /**
   * The instant of the form every writer of the wire format uses, {@code yyyy-MM-ddTHH:mm:ss[.fraction]Z} with 1 to
   * 9 fraction digits, read by hand (what {@link Instant#parse} returns for it, at a tenth of the cost: reading
   * envelopes is the hot path of every consumer); null for any other text, which {@link Instant#parse} then reads.
   */
  static Instant parseCommon(String t) {
    int n = t.length();
    if (n < 20 || n > 30 || t.charAt(4) != '-' || t.charAt(7) != '-' || t.charAt(10) != 'T' || t.charAt(13) != ':'
        || t.charAt(16) != ':' || t.charAt(n - 1) != 'Z' || n != 20 && (n == 21 || t.charAt(19) != '.')) {
      return null;
    }
    int year = digits(t, 0, 4);
    int month = digits(t, 5, 2);
    int day = digits(t, 8, 2);
    int hour = digits(t, 11, 2);
    int minute = digits(t, 14, 2);
    int second = digits(t, 17, 2);
    int nanos = 0;
    if (n > 20) {
      int fraction = digits(t, 20, n - 21);
      if (fraction < 0) {
        return null;
      }
      nanos = fraction;
      for (int i = n - 21; i < 9; i++) {
        nanos *= 10;
      }
    }
    if (year < 0 || month < 0 || day < 0 || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0
        || second > 59) {
      return null; // leap seconds, 24:00 and the like: Instant.parse decides
    }
    try {
      long days = java.time.LocalDate.of(year, month, day).toEpochDay();
      return Instant.ofEpochSecond(days * 86_400 + hour * 3_600L + minute * 60L + second, nanos);
    } catch (DateTimeException e) {
      return null;
    }
  }

  /** The decimal number of {@code count} digits at {@code from}, or -1 if one of them is not a digit. */
  private static int digits(String t, int from, int count) {
    int value = 0;
    for (int i = from; i < from + count; i++) {
      char c = t.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      value = value * 10 + (c - '0');
    }
    return value;
  }
}
