package dev.ledger.events;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The canonical form of JSON that is hashed and signed: object keys sorted (by UTF-16 code units, at every depth),
 * no whitespace, UTF-8. Records and other values are first turned into JSON the way the wire format does.
 */
public final class CanonicalJson {

  private CanonicalJson() {
  }

  /** The canonical UTF-8 bytes of a {@link JsonNode} or of any value the wire mapper can write. */
  public static byte[] bytes(Object value) {
    try {
      return Json.MAPPER.writeValueAsBytes(sorted(tree(value)));
    } catch (JacksonException e) {
      throw new IllegalStateException("cannot write canonical JSON", e);
    }
  }

  /** The canonical JSON as text. */
  public static String string(Object value) {
    return new String(bytes(value), StandardCharsets.UTF_8);
  }

  private static JsonNode tree(Object value) {
    if (value == null) {
      return NullNode.getInstance();
    }
    return value instanceof JsonNode node ? node : Json.MAPPER.valueToTree(value);
  }

  private static JsonNode sorted(JsonNode node) {
    if (node.isObject()) {
      ObjectNode result = Json.MAPPER.createObjectNode();
      List<String> names = new ArrayList<>();
      node.fieldNames().forEachRemaining(names::add);
      Collections.sort(names);
      names.forEach(name -> result.set(name, sorted(node.get(name))));
      return result;
    }
    if (node.isArray()) {
      ArrayNode result = Json.MAPPER.createArrayNode();
      node.forEach(element -> result.add(sorted(element)));
      return result;
    }
    return node;
  }
}
