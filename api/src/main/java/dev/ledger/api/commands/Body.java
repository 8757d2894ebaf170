package dev.ledger.api.commands;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ledger.api.ApiException;
import dev.ledger.events.EventSerde;
import java.util.Iterator;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The JSON object of a command's request body, read strictly: not JSON, not an object, a duplicate or unknown
 * field, a missing field or a value of the wrong type is a 400 naming the field. Range and meaning checks are the
 * caller's (422).
 */
final class Body {
  /** The largest body a command takes; orders' parameters are the only sizeable part. */
  static final int MAX_BYTES = 64 * 1024;
  static final int MAX_TEXT = 1_000;
  /** Ids and type names: a letter or digit, then letters, digits and {@code . _ : -}. */
  private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]{0,99}");
  private static final ObjectMapper MAPPER = EventSerde.mapper(); // strict: duplicate keys fail

  private final ObjectNode node;

  private Body(ObjectNode node) {
    this.node = node;
  }

  /** The body's object; an empty body is an empty object. Every field must be in {@code allowed}. */
  static Body parse(byte[] bytes, String... allowed) {
    if (bytes.length > MAX_BYTES) {
      throw new ApiException.TooLarge("the body has " + bytes.length + " bytes; a command takes at most "
          + MAX_BYTES);
    }
    JsonNode tree;
    try {
      tree = bytes.length == 0 ? MAPPER.createObjectNode() : MAPPER.readTree(bytes);
    } catch (JacksonException e) {
      throw new ApiException.BadRequest("the body is not valid JSON: " + e.getOriginalMessage());
    } catch (java.io.IOException e) {
      throw new ApiException.BadRequest("the body cannot be read: " + e.getMessage());
    }
    if (tree == null || tree.isMissingNode()) {
      tree = MAPPER.createObjectNode();
    }
    if (!(tree instanceof ObjectNode object)) {
      throw new ApiException.BadRequest("the body must be a JSON object, got " + kind(tree));
    }
    Set<String> known = Set.of(allowed);
    for (Iterator<String> names = object.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!known.contains(name)) {
        throw new ApiException.BadRequest("unknown field '" + printable(name) + "'; "
            + (known.isEmpty() ? "this command takes no body fields" : "this command takes " + new TreeSet<>(known)));
      }
    }
    return new Body(object);
  }

  /** A required string of 1 to {@value #MAX_TEXT} characters without control characters. */
  String text(String name) {
    String v = optionalText(name);
    if (v == null) {
      throw new ApiException.BadRequest("missing field '" + name + "'");
    }
    return v;
  }

  /** An optional string (null when absent or JSON null), checked as {@link #text}. */
  String optionalText(String name) {
    JsonNode v = node.get(name);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isTextual()) {
      throw new ApiException.BadRequest("field '" + name + "' must be a string, got " + kind(v));
    }
    String s = v.textValue();
    if (s.isBlank()) {
      throw new ApiException.BadRequest("field '" + name + "' must not be blank");
    }
    if (s.length() > MAX_TEXT) {
      throw new ApiException.BadRequest("field '" + name + "' is longer than " + MAX_TEXT + " characters");
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isISOControl(c) && c != '\n' && c != '\t') {
        throw new ApiException.BadRequest("field '" + name + "' contains a control character at position " + i);
      }
    }
    return s;
  }

  /** A required id or type name (letters, digits, {@code . _ : -}; at most 100). */
  String id(String name) {
    return checkId(name, text(name));
  }

  /** An optional id or type name, checked as {@link #id}. */
  String optionalId(String name) {
    String v = optionalText(name);
    return v == null ? null : checkId(name, v);
  }

  /** A required whole number. */
  long integer(String name) {
    JsonNode v = node.get(name);
    if (v == null || v.isNull()) {
      throw new ApiException.BadRequest("missing field '" + name + "'");
    }
    if (!v.isIntegralNumber() || !v.canConvertToLong()) {
      throw new ApiException.BadRequest("field '" + name + "' must be a whole number, got " + kind(v));
    }
    return v.longValue();
  }

  /** An optional JSON object; absent or null is an empty object. */
  ObjectNode object(String name) {
    JsonNode v = node.get(name);
    if (v == null || v.isNull()) {
      return MAPPER.createObjectNode();
    }
    if (!(v instanceof ObjectNode o)) {
      throw new ApiException.BadRequest("field '" + name + "' must be a JSON object, got " + kind(v));
    }
    return o;
  }

  /** Any optional JSON value; absent is JSON null. */
  JsonNode json(String name) {
    JsonNode v = node.get(name);
    return v == null ? MAPPER.nullNode() : v;
  }

  /** A required string that must be one of {@code allowed}. */
  String oneOf(String name, Set<String> allowed) {
    String v = text(name);
    if (!allowed.contains(v)) {
      throw new ApiException.BadRequest("field '" + name + "' must be one of " + new TreeSet<>(allowed) + ", got '"
          + printable(v) + "'");
    }
    return v;
  }

  static String checkId(String name, String v) {
    if (!ID.matcher(v).matches()) {
      throw new ApiException.BadRequest(name + " must be 1 to 100 letters, digits or . _ : - (starting with a "
          + "letter or digit), got '" + printable(v) + "'");
    }
    return v;
  }

  private static String kind(JsonNode v) {
    return v.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
  }

  private static String printable(String s) {
    String cut = s.length() > 40 ? s.substring(0, 40) + "..." : s;
    return cut.replaceAll("\\p{Cntrl}", "?");
  }
}
