package dev.ledger.api.http;

import dev.ledger.api.ApiException;
import io.javalin.http.Context;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The query parameters of one request, checked: an unknown or repeated parameter, a limit out of range, a bad
 * time or a value with control characters is a 400 naming the parameter and what it takes. Values are only ever
 * bound to SQL parameters, never spliced into SQL.
 */
public final class Params {
  public static final int DEFAULT_LIMIT = 50;
  public static final int MAX_LIMIT = 500;
  public static final int MAX_OFFSET = 100_000;
  static final int MAX_TEXT = 200;

  private final Map<String, List<String>> values;

  private Params(Map<String, List<String>> values) {
    this.values = values;
  }

  /** The request's query parameters, which must all be among {@code allowed}. */
  public static Params of(Context ctx, String... allowed) {
    Map<String, List<String>> values = ctx.queryParamMap();
    Set<String> known = Set.of(allowed);
    for (Map.Entry<String, List<String>> e : values.entrySet()) {
      if (!known.contains(e.getKey())) {
        throw new ApiException.BadRequest("unknown query parameter '" + printable(e.getKey()) + "'; "
            + (known.isEmpty() ? "this endpoint takes none" : "this endpoint takes " + new TreeSet<>(known)));
      }
      if (e.getValue().size() > 1) {
        throw new ApiException.BadRequest("query parameter '" + e.getKey() + "' is given more than once");
      }
    }
    return new Params(values);
  }

  /** An optional text value (null when absent). */
  public String text(String name) {
    List<String> v = values.get(name);
    if (v == null || v.isEmpty()) {
      return null;
    }
    return checkedText(name, v.get(0));
  }

  /** An optional value that must be one of {@code allowed}. */
  public String oneOf(String name, Set<String> allowed) {
    String v = text(name);
    if (v != null && !allowed.contains(v)) {
      throw new ApiException.BadRequest(name + " must be one of " + new TreeSet<>(allowed) + ", got '" + v + "'");
    }
    return v;
  }

  /** An optional ISO-8601 instant, e.g. {@code 2026-03-01T00:00:00Z}. */
  public Instant instant(String name) {
    String v = text(name);
    if (v == null) {
      return null;
    }
    try {
      return Instant.parse(v);
    } catch (DateTimeParseException e) {
      throw new ApiException.BadRequest(name + " must be an ISO-8601 instant such as 2026-03-01T00:00:00Z, got '"
          + v + "'");
    }
  }

  /** An optional whole number in {@code [min, max]}, {@code fallback} when absent. */
  public int integer(String name, int fallback, int min, int max) {
    String v = text(name);
    if (v == null) {
      return fallback;
    }
    long n;
    try {
      n = Long.parseLong(v);
    } catch (NumberFormatException e) {
      throw new ApiException.BadRequest(name + " must be a whole number between " + min + " and " + max
          + ", got '" + v + "'");
    }
    if (n < min || n > max) {
      throw new ApiException.BadRequest(name + " must be between " + min + " and " + max + ", got " + n);
    }
    return (int) n;
  }

  /** {@code limit}: 1 to {@value #MAX_LIMIT}, {@value #DEFAULT_LIMIT} when absent. */
  public int limit() {
    return integer("limit", DEFAULT_LIMIT, 1, MAX_LIMIT);
  }

  /** {@code offset}: 0 to {@value #MAX_OFFSET} (deeper pages: use the cursor), 0 when absent. */
  public int offset() {
    return integer("offset", 0, 0, MAX_OFFSET);
  }

  /** An optional {@code true} or {@code false}. */
  public Boolean bool(String name) {
    String v = text(name);
    if (v == null) {
      return null;
    }
    return switch (v) {
      case "true" -> true;
      case "false" -> false;
      default -> throw new ApiException.BadRequest(name + " must be true or false, got '" + v + "'");
    };
  }

  /** A path parameter, checked like any text value: 1 to 200 characters, no control characters. */
  public static String path(Context ctx, String name) {
    String v = ctx.pathParam(name);
    if (v.isEmpty()) {
      throw new ApiException.BadRequest(name + " is empty");
    }
    return checkedText(name, v);
  }

  /** Fails unless {@code from} is before {@code to} (either may be absent). */
  public static void requireOrder(Instant from, Instant to) {
    if (from != null && to != null && !from.isBefore(to)) {
      throw new ApiException.BadRequest("from must be before to, got from=" + from + " to=" + to);
    }
  }

  private static String checkedText(String name, String v) {
    if (v.length() > MAX_TEXT) {
      throw new ApiException.BadRequest(name + " is longer than " + MAX_TEXT + " characters");
    }
    for (int i = 0; i < v.length(); i++) {
      if (Character.isISOControl(v.charAt(i))) {
        throw new ApiException.BadRequest(name + " contains a control character at position " + i);
      }
      if (Character.isSurrogate(v.charAt(i)) && !validSurrogate(v, i)) {
        throw new ApiException.BadRequest(name + " is not valid Unicode at position " + i);
      }
    }
    return v;
  }

  private static boolean validSurrogate(String v, int i) {
    char c = v.charAt(i);
    if (Character.isHighSurrogate(c)) {
      return i + 1 < v.length() && Character.isLowSurrogate(v.charAt(i + 1));
    }
    return i > 0 && Character.isHighSurrogate(v.charAt(i - 1));
  }

  private static String printable(String s) {
    String cut = s.length() > 40 ? s.substring(0, 40) + "..." : s;
    return cut.replaceAll("\\p{Cntrl}", "?");
  }
}
