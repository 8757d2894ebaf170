package dev.ledger.bridge.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ledger.bridge.AgentBridge;
import dev.ledger.bridge.BridgeConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.ResultSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The loopback JSON API: the happy path, and bad input answered 400 with the reason and nothing stored. */
class HttpApiIT {
  static final ObjectMapper JSON = new ObjectMapper();
  static final String INCIDENT = "{\"site_id\":\"site-h\",\"host_id\":\"ws-1\",\"incident_type\":\"firewall_disabled\","
      + "\"severity\":\"high\",\"error\":\"stopped at 10.0.0.1\",\"raw_data\":{\"k\":1}}";

  @TempDir Path dir;
  AgentBridge bridge;
  final HttpClient client = HttpClient.newHttpClient();

  @BeforeEach
  void start() {
    bridge = AgentBridge.start(BridgeConfig.of("site-h", "app-h", dir, null));
  }

  @AfterEach
  void stop() {
    bridge.close();
  }

  @Test
  void recordsResolvesAndQueuesEvidence() throws Exception {
    HttpResponse<String> created = post("/v1/incidents", INCIDENT);
    assertThat(created.statusCode()).isEqualTo(201);
    String id = JSON.readTree(created.body()).get("incident_id").asText();
    assertThat(id).startsWith("INC-");
    HttpResponse<String> resolved = post("/v1/incidents/" + id + "/resolution",
        "{\"level\":\"L1\",\"action\":\"restart\",\"outcome\":\"success\",\"resolution_time_ms\":1500}");
    assertThat(resolved.statusCode()).isEqualTo(200);
    HttpResponse<String> evidence = post("/v1/evidence", "{\"site_id\":\"site-h\",\"checked_at\":\"2026-03-01T"
        + "12:00:00Z\",\"checks\":[{\"check_type\":\"bitlocker\",\"status\":\"fail\",\"hostname\":\"ws-1\","
        + "\"details\":{\"volume\":\"C:\"},\"hipaa_control\":\"164.312(a)(2)(iv)\"}]}");
    assertThat(evidence.statusCode()).isEqualTo(202);
    assertThat(get("/v1/suppressions").body()).isEqualTo("[]");
    assertThat(count("SELECT count(*) FROM incidents WHERE status = 'resolved'")).isEqualTo(1);
  }

  @Test
  void badInputIs400WithTheReasonAndStoresNothing() throws Exception {
    assertBad(post("/v1/incidents", "{not json"), "malformed JSON");
    assertBad(post("/v1/incidents", "{\"site_id\":\"site-h\",\"host_id\":\"ws-1\",\"severity\":\"high\"}"),
        "incident_type is required");
    assertBad(post("/v1/incidents", INCIDENT.replace("site-h", "site-other")), "site-other");
    String big = "x".repeat(257 * 1024);
    assertBad(post("/v1/incidents", INCIDENT.replace("{\"k\":1}", "{\"k\":\"" + big + "\"}")), "KiB");
    String id = JSON.readTree(post("/v1/incidents", INCIDENT).body()).get("incident_id").asText();
    assertBad(post("/v1/incidents/" + id + "/resolution",
        "{\"level\":\"L7\",\"outcome\":\"success\",\"resolution_time_ms\":1}"), "unknown level 'L7'");
    assertBad(post("/v1/incidents/" + id + "/resolution",
        "{\"level\":\"L1\",\"outcome\":\"great\",\"resolution_time_ms\":1}"), "unknown outcome 'great'");
    assertBad(post("/v1/evidence", "{\"site_id\":\"site-h\",\"checked_at\":\"2026-03-01T12:00:00Z\","
        + "\"checks\":[{\"check_type\":\"x\",\"status\":\"maybe\"}]}"), "checks[0].status");
    assertThat(count("SELECT count(*) FROM incidents")).isEqualTo(1);
    assertThat(count("SELECT count(*) FROM incidents WHERE resolved_at IS NOT NULL")).isZero();
    assertThat(count("SELECT count(*) FROM queued_evidence")).isZero();
  }

  void assertBad(HttpResponse<String> response, String reason) throws Exception {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
    JsonNode body = JSON.readTree(response.body());
    assertThat(body.get("message").asText()).contains(reason);
  }

  long count(String sql) throws Exception {
    try (var c = DriverManager.getConnection("jdbc:sqlite:" + bridge.config().databaseFile());
        ResultSet rs = c.createStatement().executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  HttpResponse<String> post(String path, String body) throws Exception {
    return client.send(HttpRequest.newBuilder(uri(path)).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  HttpResponse<String> get(String path) throws Exception {
    return client.send(HttpRequest.newBuilder(uri(path)).GET().build(), HttpResponse.BodyHandlers.ofString());
  }

  URI uri(String path) {
    return URI.create("http://127.0.0.1:" + bridge.httpPort() + path);
  }
}
