package dev.ledger.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ledger.api.health.ComponentHealth;
import dev.ledger.api.health.HealthRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/** /health reports each component and answers 503 when one is down, even when a check hangs. */
class ApiServerTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void allUpAnswers200WithEveryComponent() throws Exception {
    try (HealthRegistry health = new HealthRegistry(Duration.ofSeconds(2))
            .register("kafka", () -> ComponentHealth.up("127.0.0.1:9092", Map.of("brokers", 1)))
            .register("postgres", () -> ComponentHealth.up("jdbc:postgresql://x", Map.of()));
        ApiServer api = ApiServer.start("127.0.0.1", 0, health, JSON)) {
      HttpResponse<String> response = get(api, "/health");
      assertThat(response.statusCode()).isEqualTo(200);
      JsonNode body = JSON.readTree(response.body());
      assertThat(body.path("status").asText()).isEqualTo("UP");
      assertThat(body.path("components").path("kafka").path("facts").path("brokers").asInt()).isEqualTo(1);
      assertThat(body.path("components").path("kafka").has("up")).isFalse();
    }
  }

  @Test
  void aDownOrHungComponentMakes503AndSaysWhich() throws Exception {
    CountDownLatch never = new CountDownLatch(1);
    try (HealthRegistry health = new HealthRegistry(Duration.ofMillis(300))
            .register("kafka", () -> ComponentHealth.down("Kafka at 127.0.0.1:1 did not answer"))
            .register("postgres", () -> {
              try {
                never.await();
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
              return ComponentHealth.up("never", Map.of());
            });
        ApiServer api = ApiServer.start("127.0.0.1", 0, health, JSON)) {
      HttpResponse<String> response = get(api, "/health");
      assertThat(response.statusCode()).isEqualTo(503);
      JsonNode body = JSON.readTree(response.body());
      assertThat(body.path("status").asText()).isEqualTo("DOWN");
      assertThat(body.path("components").path("kafka").path("detail").asText()).contains("127.0.0.1:1");
      assertThat(body.path("components").path("postgres").path("status").asText()).isEqualTo("DOWN");
      assertThat(body.path("components").path("postgres").path("detail").asText()).contains("no answer within");
    }
  }

  @Test
  void unknownRouteIsAProblemDocument() throws Exception {
    try (HealthRegistry health = new HealthRegistry(Duration.ofSeconds(1));
        ApiServer api = ApiServer.start("127.0.0.1", 0, health, JSON)) {
      HttpResponse<String> response = get(api, "/no/such/route");
      assertThat(response.statusCode()).isEqualTo(404);
      assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
          v -> assertThat(v).startsWith("application/problem+json"));
      assertThat(JSON.readTree(response.body()).path("detail").asText()).contains("/no/such/route");
    }
  }

  private static HttpResponse<String> get(ApiServer api, String path) throws Exception {
    return HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api.port() + path))
            .timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
