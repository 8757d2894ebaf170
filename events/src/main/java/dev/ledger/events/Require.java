package dev.ledger.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/** Field checks for the compact constructors of events; each failure names the field by its wire name. */
final class Require {

  private static final Pattern SIGNATURE = Pattern.compile("[0-9a-f]{16}");
  private static final Pattern HEX_256 = Pattern.compile("[0-9a-f]{64}");

  private Require() {
  }

  static <T> T present(T value, String field) {
    if (value == null) {
      throw new InvalidEventException(field, "is required");
    }
    return value;
  }

  static String text(String value, String field) {
    if (present(value, field).isBlank()) {
      throw new InvalidEventException(field, "must not be blank");
    }
    return value;
  }

  static long nonNegative(long value, String field) {
    if (value < 0) {
      throw new InvalidEventException(field, "must not be negative, was " + value);
    }
    return value;
  }

  static String matches(String value, Pattern pattern, String field) {
    if (!pattern.matcher(text(value, field)).matches()) {
      throw new InvalidEventException(field, "must match " + pattern.pattern());
    }
    return value;
  }

  static String patternSignature(String value, String field) {
    return hex(value, 16, SIGNATURE, field);
  }

  static String sha256Hex(String value, String field) {
    return hex(value, 64, HEX_256, field);
  }

  /** Checked by hand (every incident event carries a signature); the pattern only words the error. */
  private static String hex(String value, int length, Pattern pattern, String field) {
    return Hex.isLowercase(value, length) ? value : matches(value, pattern, field);
  }

  static String base64(String value, String field) {
    try {
      Base64.getDecoder().decode(text(value, field));
      return value;
    } catch (IllegalArgumentException e) {
      throw new InvalidEventException(field, "must be base64");
    }
  }

  /** Optional JSON: absent becomes JSON null, so an event read back equals the one written. */
  static JsonNode json(JsonNode value) {
    return value == null ? NullNode.getInstance() : value.deepCopy();
  }

  static <T> List<T> list(List<T> value, String field) {
    if (present(value, field).stream().anyMatch(Objects::isNull)) {
      throw new InvalidEventException(field, "must not contain null");
    }
    return List.copyOf(value);
  }
}
