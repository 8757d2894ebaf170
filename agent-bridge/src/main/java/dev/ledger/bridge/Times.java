package dev.ledger.bridge;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** Instants as fixed-width ISO-8601 UTC text, so SQLite compares them correctly as text. */
final class Times {
  private static final DateTimeFormatter FIXED =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(ZoneOffset.UTC);

  private Times() {
  }

  static String text(Instant instant) {
    return instant == null ? null : FIXED.format(instant);
  }

  static Instant instant(String text) {
    return text == null ? null : Instant.parse(text);
  }
}
