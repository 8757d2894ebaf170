package dev.ledger.events.rules;

import dev.ledger.events.InvalidEventException;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The incident id rule: {@code INC-<yyyyMMddHHmmss><6-digit micros><4 hex>}, the time in UTC and the hex digits
 * lowercase, for example {@code INC-20250301120000123456a1b2}. The hex digits count on from a random start in each
 * process, so ids one process makes for the same microsecond differ unless 65,536 others were made between them
 * (random digits collided about once per million ids at the bridge's ingest rate, failing a recording).
 */
public final class IncidentIds {

  private static final DateTimeFormatter SECONDS =
      DateTimeFormatter.ofPattern("uuuuMMddHHmmss").withResolverStyle(ResolverStyle.STRICT);
  private static final Pattern FORMAT = Pattern.compile("INC-(\\d{14})(\\d{6})[0-9a-f]{4}");
  private static final AtomicInteger SEQUENCE = new AtomicInteger(new SecureRandom().nextInt());

  private IncidentIds() {
  }

  /** A new incident id for an incident detected at {@code detectedAt}. */
  public static String next(Instant detectedAt) {
    return format(detectedAt, SEQUENCE.getAndIncrement() & 0xFFFF);
  }

  static String format(Instant at, int suffix) {
    LocalDateTime utc = LocalDateTime.ofInstant(at, ZoneOffset.UTC);
    if (utc.getYear() < 0 || utc.getYear() > 9999) {
      throw new IllegalArgumentException("an incident id needs a year of four digits: " + at);
    }
    char[] id = new char[4 + 14 + 6 + 4];
    "INC-".getChars(0, 4, id, 0);
    digits(id, 4, utc.getYear(), 4);
    digits(id, 8, utc.getMonthValue(), 2);
    digits(id, 10, utc.getDayOfMonth(), 2);
    digits(id, 12, utc.getHour(), 2);
    digits(id, 14, utc.getMinute(), 2);
    digits(id, 16, utc.getSecond(), 2);
    digits(id, 18, utc.getNano() / 1000, 6);
    for (int i = 0; i < 4; i++) {
      id[27 - i] = Character.forDigit((suffix >>> (4 * i)) & 0xF, 16);
    }
    return new String(id);
  }

  /** Writes {@code value} as {@code width} decimal digits, zero-padded, at {@code at}. */
  private static void digits(char[] out, int at, int value, int width) {
    for (int i = at + width - 1; i >= at; i--) {
      out[i] = (char) ('0' + value % 10);
      value /= 10;
    }
  }

  /** Whether the text is an incident id with a real date and time. */
  public static boolean isValid(String id) {
    return id != null && parse(id) != null;
  }

  /** The id itself; {@link InvalidEventException} for field {@code incident_id} if it is not valid. */
  public static String requireValid(String id) {
    if (!isValid(id)) {
      throw new InvalidEventException("incident_id", "must look like INC-<yyyyMMddHHmmss><micros><4 hex>");
    }
    return id;
  }

  /** The instant (to the microsecond, UTC) in a valid incident id. */
  public static Instant timestampOf(String id) {
    return parse(requireValid(id));
  }

  private static Instant parse(String id) {
    Matcher m = FORMAT.matcher(id);
    if (!m.matches()) {
      return null;
    }
    try {
      LocalDateTime seconds = LocalDateTime.parse(m.group(1), SECONDS);
      return seconds.toInstant(ZoneOffset.UTC).plusNanos(Long.parseLong(m.group(2)) * 1000);
    } catch (DateTimeParseException e) {
      return null;
    }
  }
}
