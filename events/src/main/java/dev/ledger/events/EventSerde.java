package dev.ledger.events;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
   * The envelope in these bytes, its payload upcast to the current schema version. Binds the envelope straight
   * from the bytes (every consumer reads every record through here); bytes that do not bind are read again as a
   * tree by {@link #fromTree}, which names what is wrong with them.
   */
  public static Envelope deserialize(byte[] bytes) {
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
