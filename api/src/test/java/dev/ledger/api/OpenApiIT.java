package dev.ledger.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ledger.api.commands.Commands;
import dev.ledger.testkit.SharedInfra;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** /openapi.json against the real routes: every route documented, every documented path served. */
class OpenApiIT {
  private static Commands commands;
  private static ApiFixture f;

  @BeforeAll
  static void start() throws Exception {
    commands = Commands.start(Commands.Settings.defaults(SharedInfra.kafka().bootstrapServers())
        .withSweepInterval(Duration.ZERO));
    f = new ApiFixture("api_openapi_it", List.of(commands));
  }

  @AfterAll
  static void stop() {
    f.close();
    commands.close();
  }

  @Test
  void everyRegisteredRouteIsDocumentedAndNothingElse() throws Exception {
    assertThat(f.api.routes()).hasSizeGreaterThan(20);
    assertThat(documented()).containsExactlyInAnyOrderElementsOf(f.api.routes());
  }

  @Test
  void everyDocumentedPathAnswersWithAKeyOfItsRole() throws Exception {
    for (String route : documented()) {
      if (!route.startsWith("GET ")) {
        continue; // commands are exercised by their own tests
      }
      String path = route.substring(route.indexOf(' ') + 1);
      for (Map.Entry<String, String> id : ApiFixture.P1_IDS.entrySet()) {
        path = path.replace("{" + id.getKey() + "}", id.getValue());
      }
      String key = path.startsWith("/v1/appliance/") ? f.a1Key : f.p1Key;
      HttpResponse<String> response = f.get(key, path);
      assertThat(response.statusCode()).as(route + " -> " + path + ": " + response.body()).isEqualTo(200);
    }
  }

  @Test
  void everyDocumentedCommandIsServedAndRejectsAnUndocumentedField() throws Exception {
    int commandRoutes = 0;
    for (String route : documented()) {
      if (!route.startsWith("POST ") || route.equals("POST /v1/audit/checkpoints")) {
        continue; // the checkpoint route takes no body; AuditRoutesIT covers it
      }
      commandRoutes++;
      String path = route.substring(route.indexOf(' ') + 1);
      for (Map.Entry<String, String> id : ApiFixture.P1_IDS.entrySet()) {
        path = path.replace("{" + id.getKey() + "}", id.getValue());
      }
      String key = path.startsWith("/v1/appliance/") ? f.a1Key : f.p1Key;
      HttpResponse<String> response = f.send(key, "POST", path, "{\"not_a_field\": 1}");
      assertThat(response.statusCode()).as(route + " -> " + path + ": " + response.body()).isEqualTo(400);
      assertThat(f.json(response).path("detail").asText()).as(route).contains("unknown field 'not_a_field'");
    }
    assertThat(commandRoutes).isEqualTo(7);
  }

  @Test
  void theDocumentIsServedWithoutAKey() throws Exception {
    HttpResponse<String> response = f.get(null, "/openapi.json");
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(f.json(response).path("openapi").asText()).startsWith("3.1");
  }

  private static Set<String> documented() throws Exception {
    JsonNode paths = f.json(f.get(null, "/openapi.json")).path("paths");
    Set<String> routes = new TreeSet<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = paths.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> path = it.next();
      path.getValue().fieldNames().forEachRemaining(verb -> routes.add(verb.toUpperCase() + " " + path.getKey()));
    }
    return routes;
  }
}
