package dev.ledger.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Tenancy and hostile input against the real API and PostgreSQL: another tenant's ids answer 404 with none of
 * its data, injection strings in every parameter change nothing, bad keys are 401, bad parameters a 400 that
 * names them, and no answer is ever a 500 or a stack trace.
 */
class ApiSecurityIT {
  /** Strings that occur only in tenant p2's rows. */
  private static final List<String> P2_DATA = List.of("Partner Two", "Clinic Two", "Site Two", "host-a2",
      "ord-s2-1", "b-s2-1", "0000000000000002\"", "00000000000000a2", "\"a2\"", "\"p2\"", "\"o2\"");
  private static final List<String> INJECTIONS = List.of("' OR 1=1--", "s2' OR site_id='s2", "%", "%25",
      "\0", "a\0b", "ñandú-😀", "\uD800", "\"; DROP TABLE incidents; --", "x".repeat(300), "../../etc", "\\",
      "*", "");

  private static ApiFixture f;

  @BeforeAll
  static void start() throws Exception {
    f = new ApiFixture("api_security_it");
  }

  @AfterAll
  static void stop() {
    f.close();
  }

  @Test
  void everyEndpointAnswersAnotherTenantsIds404AndNoData() throws Exception {
    int checked = 0;
    for (String route : f.api.routes()) {
      String template = route.substring(route.indexOf(' ') + 1);
      if (!template.contains("{") || template.startsWith("/v1/frameworks/")) {
        continue; // no tenant id in the path (lists are checked below), or a global catalogue
      }
      String path = fill(template, ApiFixture.P2_IDS);
      HttpResponse<String> response = f.get(f.p1Key, path);
      assertThat(response.statusCode()).as(path + ": " + response.body()).isEqualTo(404);
      assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
          v -> assertThat(v).startsWith(Problem.CONTENT_TYPE));
      assertNoP2Data(path, response);
      // ... and the same path with p1's ids answers: the 404 was the tenant wall, not a broken route.
      assertThat(f.get(f.p1Key, fill(template, ApiFixture.P1_IDS)).statusCode()).as(template).isEqualTo(200);
      checked++;
    }
    assertThat(checked).isGreaterThanOrEqualTo(14);
  }

  @Test
  void listsWithoutASiteShowOnlyTheCallersRows() throws Exception {
    for (String path : List.of("/v1/partners", "/v1/client-orgs", "/v1/sites", "/v1/promotion-candidates",
        "/v1/me", "/v1/sites?client_org_id=o2")) {
      HttpResponse<String> response = f.get(f.p1Key, path);
      assertThat(response.statusCode()).as(path).isEqualTo(200);
      assertNoP2Data(path, response);
    }
    HttpResponse<String> orders = f.get(f.a1Key, "/v1/appliance/orders");
    assertThat(orders.statusCode()).isEqualTo(200);
    assertNoP2Data("appliance orders", orders);
    assertThat(f.get(f.p1Key, "/v1/client-orgs/o2/compliance").statusCode()).isEqualTo(404);
  }

  @Test
  void injectionStringsInEveryParameterChangeNothing() throws Exception {
    JsonNode paths = f.json(f.get(null, "/openapi.json")).path("paths");
    int requests = 0;
    for (Iterator<Map.Entry<String, JsonNode>> it = paths.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> entry = it.next();
      String template = entry.getKey();
      String key = template.startsWith("/v1/appliance/") ? f.a1Key : f.p1Key;
      for (JsonNode param : entry.getValue().path("get").path("parameters")) {
        String name = param.path("name").asText();
        for (String injection : INJECTIONS) {
          String encoded = ApiFixture.q(injection);
          String path;
          if (param.path("in").asText().equals("path")) {
            path = fill(template.replace("{" + name + "}", encoded), ApiFixture.P1_IDS);
          } else {
            path = fill(template, ApiFixture.P1_IDS) + "?" + name + "=" + encoded;
          }
          HttpResponse<String> response = f.get(key, path);
          assertThat(response.statusCode()).as(path + ": " + response.body()).isIn(200, 400, 404);
          assertThat(response.body()).as(path).doesNotContain("Exception").doesNotContain("\tat ");
          assertNoP2Data(path, response);
          requests++;
        }
      }
    }
    assertThat(requests).isGreaterThan(500);
    // Nothing was dropped or changed by any of them.
    assertThat(f.json(f.get(f.adminKey, "/v1/sites/s2/incident-stats")).path("total").asInt()).isEqualTo(40);
  }

  @Test
  void missingMalformedWrongAndRevokedKeysAre401() throws Exception {
    String[] wrongSecret = f.p1Key.split("_", 3);
    List<String> headers = new ArrayList<>(List.of("", "Bearer ", "Bearer nope", "Basic dXNlcjpwYXNz",
        "Bearer " + wrongSecret[0] + "_" + wrongSecret[1] + "_" + "A".repeat(43),
        "Bearer lk_0000000000000000_" + "A".repeat(43), "Bearer ' OR 1=1--"));
    for (String header : headers) {
      HttpResponse<String> response = header.isEmpty() ? f.get(null, "/v1/sites")
          : f.get(header.startsWith("Bearer ") ? header.substring(7) : null, "/v1/sites");
      if (header.startsWith("Basic")) {
        response = raw("Basic dXNlcjpwYXNz");
      }
      assertThat(response.statusCode()).as("'" + header + "'").isEqualTo(401);
      assertThat(f.json(response).path("status").asInt()).isEqualTo(401);
    }
    String revoked = f.keys.issuePartnerKey("p1", "to revoke", ApiFixture.NOW).key();
    assertThat(f.get(revoked, "/v1/sites").statusCode()).isEqualTo(200);
    f.keys.revoke(revoked.split("_")[1], Instant.now());
    assertThat(f.get(revoked, "/v1/sites").statusCode()).isEqualTo(401);
  }

  @Test
  void keysWorkOnlyOnTheirSideOfTheApi() throws Exception {
    assertThat(f.get(f.a1Key, "/v1/sites").statusCode()).isEqualTo(401);
    assertThat(f.get(f.p1Key, "/v1/appliance/orders").statusCode()).isEqualTo(401);
    assertThat(f.get(f.adminKey, "/v1/appliance/orders").statusCode()).isEqualTo(401);
  }

  @Test
  void badParametersAre400NamingWhatWasWrong() throws Exception {
    Map<String, String> cases = Map.ofEntries(
        Map.entry("/v1/sites/s1/incidents?limit=-1", "limit"),
        Map.entry("/v1/sites/s1/incidents?limit=501", "limit"),
        Map.entry("/v1/sites/s1/incidents?limit=99999999999999999999", "limit"),
        Map.entry("/v1/sites/s1/incidents?offset=-5", "offset"),
        Map.entry("/v1/sites/s1/incidents?colour=red", "unknown query parameter 'colour'"),
        Map.entry("/v1/sites/s1/incidents?cursor=bm90LWEtY3Vyc29y", "cursor"),
        Map.entry("/v1/sites/s1/incidents?cursor=%25%25%25", "cursor"),
        Map.entry("/v1/sites/s1/incidents?from=yesterday", "from"),
        Map.entry("/v1/sites/s1/incidents?from=2026-11-28T00:00:00Z&to=2026-11-27T00:00:00Z", "from must be before to"),
        Map.entry("/v1/sites/s1/incidents?level=L4", "level"),
        Map.entry("/v1/sites/s1/incidents?limit=1&limit=2", "more than once"),
        Map.entry("/v1/sites/s1/incidents?offset=10&cursor=" + new dev.ledger.api.http.Cursor(ApiFixture.NOW, "x")
            .encode(), "cursor or offset"),
        Map.entry("/v1/sites/s1/incidents/INC-123", "incidentId"),
        Map.entry("/v1/sites/s1/patterns?eligible=maybe", "eligible"),
        Map.entry("/v1/sites/s1/compliance?days=365", "days"),
        Map.entry("/v1/sites/s1/incidents?type=a%00b", "control character"));
    for (Map.Entry<String, String> c : cases.entrySet()) {
      HttpResponse<String> response = f.get(f.p1Key, c.getKey());
      assertThat(response.statusCode()).as(c.getKey() + ": " + response.body()).isEqualTo(400);
      assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
          v -> assertThat(v).startsWith(Problem.CONTENT_TYPE));
      assertThat(f.json(response).path("detail").asText()).as(c.getKey()).contains(c.getValue());
    }
    // A NUL in the path never reaches the API: Jetty refuses the URI itself (a plain 400, not a problem document).
    assertThat(f.get(f.p1Key, "/v1/sites/s1%00/incidents").statusCode()).isEqualTo(400);
  }

  @Test
  void oversizedBodiesAre413AndMalformedOnesNever500() throws Exception {
    HttpResponse<String> big = f.send(f.p1Key, "POST", "/v1/sites", "{\"x\":\"" + "a".repeat(100_000) + "\"}");
    assertThat(big.statusCode()).isIn(404, 405, 413); // no POST route here: never a 500
    HttpResponse<String> bigGet = f.send(f.p1Key, "GET", "/v1/sites", "{\"x\":\"" + "a".repeat(100_000) + "\"}");
    assertThat(bigGet.statusCode()).isEqualTo(413);
    assertThat(f.json(bigGet).path("detail").asText()).contains("at most");
    HttpResponse<String> malformed = f.send(f.p1Key, "GET", "/v1/sites", "{not json");
    assertThat(malformed.statusCode()).isEqualTo(200); // reads take no body; it is ignored
  }

  private static HttpResponse<String> raw(String authorization) throws Exception {
    return java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
            java.net.URI.create("http://127.0.0.1:" + f.api.port() + "/v1/sites"))
        .header("Authorization", authorization).build(), HttpResponse.BodyHandlers.ofString());
  }

  private static void assertNoP2Data(String what, HttpResponse<String> response) {
    for (String marker : P2_DATA) {
      assertThat(response.body()).as(what + " leaks " + marker).doesNotContain(marker);
    }
  }

  private static String fill(String template, Map<String, String> ids) {
    String path = template;
    for (Map.Entry<String, String> id : ids.entrySet()) {
      path = path.replace("{" + id.getKey() + "}", id.getValue());
    }
    return path;
  }
}
