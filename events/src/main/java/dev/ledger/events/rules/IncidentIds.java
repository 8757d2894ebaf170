package dev.ledger.events.rules;

import dev.ledger.events.InvalidEventException;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The incident id rule: {@code INC-<yyyyMMddHHmmss><6-digit micros><4 hex>}, the time in UTC and the hex digits
 * random and lowercase, for example {@code INC-20250301120000123456a1b2}.
 */
public final class IncidentIds {

  private static final DateTimeFormatter SECONDS =
      DateTimeFormatter.ofPattern("uuuuMMddHHmmss").withResolverStyle(ResolverStyle.STRICT);
  private static final Pattern FORMAT = Pattern.compile("INC-(\\d{14})(\\d{6})[0-9a-f]{4}");
  private static final SecureRandom RANDOM = new SecureRandom();

  private IncidentIds() {
  }

  /** A new incident id for an incident detected at {@code detectedAt}. */
  public static String next(Instant detectedAt) {
    return format(detectedAt, RANDOM.nextInt(0x10000));
  }

  static String format(Instant at, int suffix) {
    LocalDateTime utc = LocalDateTime.ofInstant(at, ZoneOffset.UTC);
    return "INC-" + SECONDS.format(utc) + String.format("%06d%04x", utc.getNano() / 1000, suffix);
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
