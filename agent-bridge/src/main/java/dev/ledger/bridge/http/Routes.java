package dev.ledger.bridge.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ledger.bridge.AgentBridge;
import dev.ledger.bridge.Api;
import dev.ledger.bridge.BridgeException;
import dev.ledger.events.CheckStatus;
import dev.ledger.events.EventSerde;
import dev.ledger.events.EvidenceCheck;
import dev.ledger.events.ResolutionLevel;
import dev.ledger.events.ResolutionOutcome;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The HTTP routes: parse and validate a JSON body, call the bridge's Java API, answer JSON. */
final class Routes {
  static final ObjectMapper MAPPER = EventSerde.mapper();
  private static final Pattern RESOLUTION = Pattern.compile("/v1/incidents/([^/]+)/resolution");

  record Response(int status, JsonNode body) {
  }

  private final AgentBridge bridge;

  Routes(AgentBridge bridge) {
    this.bridge = bridge;
  }

  Response route(String method, String path, Supplier<byte[]> body) {
    Matcher resolution = RESOLUTION.matcher(path);
    if ("POST".equals(method) && "/v1/incidents".equals(path)) {
      return new Response(201, tree(bridge.recordIncident(incident(parse(body.get()))).join()));
    }
    if ("POST".equals(method) && resolution.matches()) {
      return new Response(200, tree(bridge.recordResolution(resolution(resolution.group(1), parse(body.get())))
          .join()));
    }
    if ("POST".equals(method) && "/v1/evidence".equals(path)) {
      return new Response(202, tree(bridge.submitEvidence(evidence(parse(body.get()))).join()));
    }
    if ("GET".equals(method) && "/v1/suppressions".equals(path)) {
      return new Response(200, tree(bridge.suppressions(Api.SuppressionFilter.ALL)));
    }
    if ("POST".equals(method) && "/v1/suppressions/clear".equals(path)) {
      JsonNode json = parse(body.get());
      Api.SuppressionFilter filter = new Api.SuppressionFilter(
          text(json, "site_id", false), text(json, "host_id", false), text(json, "incident_type", false));
      int cleared = bridge.clearSuppressions(filter, text(json, "cleared_by", true), text(json, "reason", false))
          .join();
      return new Response(200, MAPPER.createObjectNode().put("cleared", cleared));
    }
    if ("GET".equals(method) && "/health".equals(path)) {
      ObjectNode node = MAPPER.createObjectNode().put("healthy", bridge.healthy()).put("status", bridge.status());
      return new Response(bridge.healthy() ? 200 : 503, node);
    }
    return new Response(404, MAPPER.createObjectNode().put("error", "not_found")
        .put("message", "no route " + method + " " + path));
  }

  static Api.NewIncident incident(JsonNode json) {
    JsonNode raw = json.get("raw_data");
    return new Api.NewIncident(text(json, "site_id", true), hostOf(json), text(json, "incident_type", true),
        text(json, "severity", true), text(json, "check_type", false), text(json, "drift_type", false),
        text(json, "service_name", false), text(json, "error", false), raw == null || raw.isNull() ? null : raw,
        instant(json, "detected_at", false));
  }

  static Api.Resolution resolution(String incidentId, JsonNode json) {
    String level = text(json, "level", true);
    String outcome = text(json, "outcome", true);
    JsonNode time = json.get("resolution_time_ms");
    if (time == null || !time.canConvertToLong() || time.asLong() < 0) {
      throw BridgeException.badInput("resolution_time_ms is required as a non-negative whole number");
    }
    return new Api.Resolution(incidentId, enumOf(() -> ResolutionLevel.fromWire(level), "level", level, "L1, L2, L3"),
        text(json, "action", false),
        enumOf(() -> ResolutionOutcome.fromWire(outcome), "outcome", outcome,
            "success, failure, partial, escalated, timeout"),
        time.asLong(), instant(json, "resolved_at", false));
  }

  static Api.EvidenceBundle evidence(JsonNode json) {
    JsonNode checks = json.get("checks");
    if (checks == null || !checks.isArray() || checks.isEmpty()) {
      throw BridgeException.badInput("checks is required: a non-empty array of checks");
    }
    List<EvidenceCheck> list = new ArrayList<>();
    for (int i = 0; i < checks.size(); i++) {
      JsonNode c = checks.get(i);
      String at = "checks[" + i + "].";
      if (!c.isObject()) {
        throw BridgeException.badInput(at.substring(0, at.length() - 1) + " must be an object");
      }
      String status = text(c, "status", true, at);
      list.add(new EvidenceCheck(text(c, "check_type", true, at),
          enumOf(() -> CheckStatus.fromWire(status), at + "status", status, "pass, fail, warn, error"),
          text(c, "hostname", false, at), c.get("details"), text(c, "hipaa_control", false, at)));
    }
    return new Api.EvidenceBundle(text(json, "site_id", true), instant(json, "checked_at", true), list);
  }

  private static String hostOf(JsonNode json) {
    String host = text(json, "host_id", false);
    return host != null ? host : text(json, "hostname", true);
  }

  private static JsonNode parse(byte[] body) {
    if (body.length == 0) {
      throw BridgeException.badInput("a JSON object body is required");
    }
    try {
      JsonNode node = MAPPER.readTree(body);
      if (node == null || !node.isObject()) {
        throw BridgeException.badInput("the body must be a JSON object");
      }
      return node;
    } catch (JsonProcessingException e) {
      throw BridgeException.badInput("malformed JSON: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw BridgeException.badInput("malformed JSON: " + e.getMessage());
    }
  }

  private static String text(JsonNode json, String field, boolean required) {
    return text(json, field, required, "");
  }

  private static String text(JsonNode json, String field, boolean required, String path) {
    JsonNode v = json.get(field);
    if (v == null || v.isNull()) {
      if (required) {
        throw BridgeException.badInput(path + field + " is required");
      }
      return null;
    }
    if (!v.isTextual()) {
      throw BridgeException.badInput(path + field + " must be a string");
    }
    if (required && v.asText().isBlank()) {
      throw BridgeException.badInput(path + field + " must not be blank");
    }
    return v.asText();
  }

  private static Instant instant(JsonNode json, String field, boolean required) {
    String text = text(json, field, required);
    try {
      return text == null ? null : Instant.parse(text);
    } catch (DateTimeParseException e) {
      throw BridgeException.badInput(field + " must be an ISO-8601 UTC instant such as 2026-01-01T12:00:00Z, got '"
          + text + "'");
    }
  }

  private static <E> E enumOf(Supplier<E> parse, String field, String value, String allowed) {
    try {
      return parse.get();
    } catch (IllegalArgumentException e) {
      throw BridgeException.badInput("unknown " + field + " '" + value + "'; expected one of " + allowed);
    }
  }

  private static JsonNode tree(Object value) {
    return MAPPER.valueToTree(value);
  }
}
