package dev.ledger.events.rules;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ledger.events.CanonicalJson;
import dev.ledger.events.InvalidEventException;
import dev.ledger.events.crypto.Hashing;
import java.util.regex.Pattern;

/**
 * The pattern signature rule: the first 16 hex digits of the SHA-256 of the sorted-key JSON of
 * {@code incident_type}, {@code check_type}, {@code drift_type}, {@code service_name} and the normalised
 * {@code error}, absent (null or blank) fields left out. Normalising replaces timestamps with {@code <TIMESTAMP>},
 * IPv4 addresses with {@code <IP>}, UUIDs with {@code <UUID>} and 32-hex-digit path segments with
 * {@code /<HASH>/}, in that order, then keeps the first 200 characters.
 */
public final class PatternSignature {

  static final int MAX_ERROR_LENGTH = 200;
  private static final Pattern TIMESTAMP = Pattern.compile(
      "\\d{4}-\\d{2}-\\d{2}[T ]\\d{2}:\\d{2}:\\d{2}(?:[.,]\\d+)?(?:Z|[+-]\\d{2}:?\\d{2})?");
  private static final Pattern IPV4 = Pattern.compile("(?<![\\d.])(?:\\d{1,3}\\.){3}\\d{1,3}(?![\\d.]*\\d)");
  private static final Pattern UUID = Pattern.compile(
      "(?i)(?<![0-9a-f])[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}(?![0-9a-f])");
  private static final Pattern HASH_SEGMENT = Pattern.compile("(?i)/[0-9a-f]{32}(?=/)");

  private PatternSignature() {
  }

  /** The signature of an incident; only {@code incidentType} is required. */
  public static String of(
      String incidentType, String checkType, String driftType, String serviceName, String error) {
    if (absent(incidentType)) {
      throw new InvalidEventException("incident_type", "is required for a pattern signature");
    }
    ObjectNode fields = JsonNodeFactory.instance.objectNode();
    fields.put("incident_type", incidentType);
    putIfPresent(fields, "check_type", checkType);
    putIfPresent(fields, "drift_type", driftType);
    putIfPresent(fields, "service_name", serviceName);
    putIfPresent(fields, "error", absent(error) ? null : normaliseError(error));
    return Hashing.sha256Hex(CanonicalJson.bytes(fields)).substring(0, 16);
  }

  /** The error text with its variable parts replaced, cut to 200 characters (code points). */
  public static String normaliseError(String error) {
    String text = TIMESTAMP.matcher(error).replaceAll("<TIMESTAMP>");
    text = IPV4.matcher(text).replaceAll("<IP>");
    text = UUID.matcher(text).replaceAll("<UUID>");
    text = HASH_SEGMENT.matcher(text).replaceAll("/<HASH>");
    if (text.codePointCount(0, text.length()) <= MAX_ERROR_LENGTH) {
      return text;
    }
    return text.substring(0, text.offsetByCodePoints(0, MAX_ERROR_LENGTH));
  }

  private static void putIfPresent(ObjectNode fields, String name, String value) {
    if (!absent(value)) {
      fields.put(name, value);
    }
  }

  private static boolean absent(String value) {
    return value == null || value.isBlank();
  }
}
