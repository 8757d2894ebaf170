package dev.ledger.bridge;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** Instants as fixed-width ISO-8601 UTC text, so SQLite compares them correctly as text. */
final class Times {
  private static final DateTimeFormatter FIXED =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(ZoneOffset.UTC);

  /** 10000-01-01T00:00:00Z in epoch seconds: instants from then on take five digits of year. */
  private static final long MAX_FOUR_DIGIT_YEAR = 253_402_300_800L;

  private Times() {
  }

  static String text(Instant instant) {
    if (instant == null) {
      return null;
    }
    long seconds = instant.getEpochSecond();
    if (seconds < 0 || seconds >= MAX_FOUR_DIGIT_YEAR) {
      return FIXED.format(instant);
    }
    // Hand-formatted: the DateTimeFormatter took about 1 µs, and the writer formats two instants per incident.
    LocalDateTime t = LocalDateTime.ofEpochSecond(seconds, instant.getNano(), ZoneOffset.UTC);
    char[] out = "0000-00-00T00:00:00.000000Z".toCharArray();
    digits(out, 0, t.getYear(), 4);
    digits(out, 5, t.getMonthValue(), 2);
    digits(out, 8, t.getDayOfMonth(), 2);
    digits(out, 11, t.getHour(), 2);
    digits(out, 14, t.getMinute(), 2);
    digits(out, 17, t.getSecond(), 2);
    digits(out, 20, t.getNano() / 1000, 6);
    return new String(out);
  }

  private static void digits(char[] out, int at, int value, int width) {
    for (int i = at + width - 1; i >= at; i--) {
      out[i] = (char) ('0' + value % 10);
      value /= 10;
    }
  }

  static Instant instant(String text) {
    return text == null ? null : Instant.parse(text);
  }
}
