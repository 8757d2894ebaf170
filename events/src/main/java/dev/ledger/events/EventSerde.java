package dev.ledger.events;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import java.io.IOException;
import java.time.Instant;
import java.util.UUID;

/**
 * Reads and writes envelopes as JSON (snake_case fields, ISO-8601 instants). Reading lifts old schema versions to
 * the current one and fails with one {@link EventRejectedException} subclass per failure class:
 * {@link MalformedEventException}, {@link UnknownEventTypeException}, {@link UnsupportedSchemaVersionException},
 * {@link InvalidEventException}.
 */
public final class EventSerde {

  /** The envelope as it is on the wire, before the payload is upcast and bound. */
  record Wire(
      UUID eventId,
      String type,
      int schemaVersion,
      String siteId,
      String applianceId,
      Instant occurredAt,
      JsonNode payload,
      String signature) {
  }

  // Readers of one value inside the envelope: the envelope's own end is checked by the direct path itself.
  private static final ObjectReader UUID_READER = inner(UUID.class);
  private static final ObjectReader INSTANT_READER = inner(Instant.class);
  private static final ClassValue<ObjectReader> PAYLOAD_READERS = new ClassValue<>() {
    @Override
    protected ObjectReader computeValue(Class<?> recordClass) {
      return inner(recordClass);
    }
  };

  private EventSerde() {
  }

  /** The envelope as compact UTF-8 JSON. */
  public static byte[] serialize(Envelope envelope) {
    try {
      return Json.MAPPER.writeValueAsBytes(envelope);
    } catch (JacksonException e) {
      throw new IllegalStateException("cannot serialize " + envelope.type() + " " + envelope.eventId(), e);
    }
  }

  /** The envelope as a JSON tree, fields in wire order. */
  public static JsonNode toTree(Envelope envelope) {
    return Json.MAPPER.valueToTree(envelope);
  }

  /**
   * The envelope in these bytes, its payload upcast to the current schema version. Every consumer reads every
   * record through here: a current envelope is bound in one pass ({@link #direct}); anything else is bound with its
   * payload as a tree (upcast first), and bytes that do not bind are read again as a tree by {@link #fromTree},
   * which names what is wrong with them.
   */
  public static Envelope deserialize(byte[] bytes) {
    Envelope direct = direct(bytes);
    return direct != null ? direct : general(bytes);
  }

  /** The general path of {@link #deserialize}: any version, and the reason when the bytes cannot be accepted. */
  static Envelope general(byte[] bytes) {
    Wire wire = null;
    if (bytes != null && bytes.length > 0 && bytes[0] == '{') {
      try {
        wire = Json.MAPPER.readValue(bytes, Wire.class);
      } catch (IOException e) {
        wire = null; // the slow path below reports it
      }
    }
    return wire == null ? fromTree(parse(bytes)) : fromWire(wire);
  }

  /**
   * The common case in one pass: an envelope of the current schema version, every field present once, scalars of
   * their own JSON types, {@code type} and {@code schema_version} before {@code payload} (the order the serializer
   * writes), the payload bound straight from the stream by the same deserializers as the tree path. Anything else,
   * or any failure at all, answers null and the reader above takes the general path, which upcasts and names what
   * is wrong: so this path accepts only what that one accepts, and binds it to the same envelope
   * ({@code EventSerdeDirectTest} holds the two paths equal over every event type and mutations of each).
   */
  static Envelope direct(byte[] bytes) {
    if (bytes == null || bytes.length == 0 || bytes[0] != '{') {
      return null;
    }
    try (JsonParser p = Json.MAPPER.createParser(bytes)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        return null;
      }
      UUID eventId = null;
      EventType type = null;
      int version = 0;
      String siteId = null;
      String applianceId = null;
      Instant occurredAt = null;
      LedgerEvent payload = null;
      String signature = null;
      int fields = 0;
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        JsonToken value = p.nextToken();
        switch (name) {
          case "event_id" -> {
            if (value != JsonToken.VALUE_STRING) {
              return null;
            }
            eventId = UUID_READER.readValue(p);
          }
          case "type" -> {
            type = value == JsonToken.VALUE_STRING ? EventTypes.find(p.getText()).orElse(null) : null;
            if (type == null) {
              return null;
            }
          }
          case "schema_version" -> {
            if (value != JsonToken.VALUE_NUMBER_INT || p.getNumberType() != JsonParser.NumberType.INT) {
              return null;
            }
            version = p.getIntValue();
          }
          case "site_id" -> siteId = text(p, value);
          case "appliance_id" -> applianceId = text(p, value);
          case "occurred_at" -> {
            if (value != JsonToken.VALUE_STRING) {
              return null;
            }
            occurredAt = INSTANT_READER.readValue(p);
          }
          case "payload" -> {
            if (type == null || version != type.currentVersion() || value != JsonToken.START_OBJECT) {
              return null;
            }
            payload = PAYLOAD_READERS.get(type.recordClass()).readValue(p);
          }
          case "signature" -> signature = text(p, value);
          default -> {
            return null;
          }
        }
        fields++;
      }
      if (p.currentToken() != JsonToken.END_OBJECT || p.nextToken() != null || fields != 8 || payload == null) {
        return null;
      }
      return new Envelope(eventId, type.name(), version, siteId, applianceId, occurredAt, payload, signature);
    } catch (IOException | RuntimeException e) {
      return null; // the general path reads it again and says what is wrong
    }
  }

  private static ObjectReader inner(Class<?> type) {
    return Json.MAPPER.readerFor(type).without(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
  }

  /** A string or null; anything else fails the direct path. */
  private static String text(JsonParser p, JsonToken value) throws IOException {
    if (value == JsonToken.VALUE_NULL) {
      return null;
    }
    if (value != JsonToken.VALUE_STRING) {
      throw new IOException("not a string");
    }
    return p.getText();
  }

  /** The envelope in this JSON tree, its payload upcast to the current schema version. */
  public static Envelope fromTree(JsonNode tree) {
    if (tree == null || !tree.isObject()) {
      throw new MalformedEventException("an envelope must be a JSON object", null);
    }
    return fromWire(bind(tree, Wire.class, ""));
  }

  private static Envelope fromWire(Wire wire) {
    EventType type = EventTypes.byName(Require.text(wire.type(), "type"));
    int version = wire.schemaVersion();
    if (version > type.currentVersion()) {
      throw new UnsupportedSchemaVersionException(type.name(), version, type.currentVersion());
    }
    if (version < 1) {
      throw new InvalidEventException("schema_version", "must be at least 1, was " + version);
    }
    if (wire.payload() == null || !wire.payload().isObject()) {
      throw new InvalidEventException("payload", "must be a JSON object");
    }
    LedgerEvent payload = bind(type.upcast(version, wire.payload()), type.recordClass(), "payload");
    return new Envelope(wire.eventId(), type.name(), type.currentVersion(), wire.siteId(),
        wire.applianceId(), wire.occurredAt(), payload, wire.signature());
  }

  /** The JSON tree of these bytes; {@link MalformedEventException} if they are not one JSON value. */
  public static JsonNode parse(byte[] bytes) {
    if (bytes == null || bytes.length == 0) {
      throw new MalformedEventException("no bytes", null);
    }
    try {
      return Json.MAPPER.readTree(bytes);
    } catch (JacksonException e) {
      throw new MalformedEventException("not JSON: " + e.getOriginalMessage(), e);
    } catch (IOException e) {
      throw new MalformedEventException("not JSON: " + e.getMessage(), e);
    }
  }

  /** A copy of the configured mapper, for code that embeds events in other JSON (HTTP bodies, tests). */
  public static ObjectMapper mapper() {
    return Json.MAPPER.copy();
  }

  private static <T> T bind(JsonNode node, Class<T> type, String path) {
    try {
      return Json.MAPPER.treeToValue(node, type);
    } catch (JsonMappingException e) {
      throw JsonErrors.invalid(path, e);
    } catch (JacksonException e) {
      throw new MalformedEventException("cannot read " + path + ": " + e.getOriginalMessage(), e);
    }
  }
}
