package dev.ledger.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ledger.events.kafka.TopicSpec;
import dev.ledger.events.kafka.Topics;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Given a fresh data directory, when {@code ledger dev} starts as a real process, then Kafka, PostgreSQL and
 * the API answer at the printed addresses with everything created; after Ctrl-C and a second start on the same
 * directory, the data is still there.
 */
class LedgerDevIT {
  private static final Duration START = Duration.ofSeconds(120);
  private static final Duration STOP = Duration.ofSeconds(60);

  @TempDir Path dir;

  @Test
  void startsTheWholeStackAndKeepsDataAcrossARestart() throws Exception {
    Path data = dir.resolve("data");
    String kafkaPort;
    try (LedgerProcess ledger = LedgerProcess.start(
        "dev", "--data-dir", data.toString(), "--kafka-port", "0", "--pg-port", "0", "--api-port", "0")) {
      ledger.awaitUp(START);
      String bootstrap = ledger.address("Kafka bootstrap");
      String jdbc = ledger.address("PostgreSQL JDBC");
      kafkaPort = bootstrap.substring(bootstrap.lastIndexOf(':') + 1);

      JsonNode health = health(ledger.address("API"));
      assertThat(health.path("status").asText()).isEqualTo("UP");
      assertThat(health.path("components").path("kafka").path("status").asText()).isEqualTo("UP");
      assertThat(health.path("components").path("postgres").path("status").asText()).isEqualTo("UP");

      try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
        assertThat(admin.listTopics().names().get()).containsAll(topicNames());
        admin.createTopics(List.of(new NewTopic("restart-marker", 1, (short) 1))).all().get();
      }
      try (Connection c = DriverManager.getConnection(jdbc); Statement s = c.createStatement()) {
        assertThat(tables(s)).contains("partners", "sites", "appliances", "incidents", "evidence_bundles",
            "orders", "pattern_stats", "flap_suppressions", "projector_offsets", "flyway_schema_history");
        s.execute("CREATE TABLE restart_marker (id int)");
        s.execute("INSERT INTO restart_marker VALUES (7)");
      }

      Path lockHolder = data;
      try (LedgerProcess second = LedgerProcess.start(
          "dev", "--data-dir", lockHolder.toString(), "--kafka-port", kafkaPort, "--pg-port", "0",
          "--api-port", "0")) {
        assertThat(second.awaitExit(STOP)).as("a second instance on a taken port").isEqualTo(3);
        assertThat(second.stderr()).contains("127.0.0.1:" + kafkaPort).contains("--kafka-port")
            .doesNotContain("\tat ");
      }

      int code = ledger.stop(STOP);
      assertThat(code).as("exit code after SIGTERM").isIn(0, 143);
      assertThat(ledger.stderr()).contains("stopping").doesNotContain("ERROR");
    }

    try (LedgerProcess ledger = LedgerProcess.start(
        "dev", "--data-dir", data.toString(), "--kafka-port", "0", "--pg-port", "0", "--api-port", "0")) {
      ledger.awaitUp(START);
      try (Admin admin = Admin.create(Map.of("bootstrap.servers", ledger.address("Kafka bootstrap")))) {
        assertThat(admin.listTopics().names().get()).contains("restart-marker").containsAll(topicNames());
      }
      try (Connection c = DriverManager.getConnection(ledger.address("PostgreSQL JDBC"));
          Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("SELECT id FROM restart_marker")) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getInt(1)).isEqualTo(7);
      }
      assertThat(ledger.stderr()).contains("0 migration(s) applied now");
      assertThat(ledger.stop(STOP)).isIn(0, 143);
    }
  }

  @Test
  void unreachableExternalKafkaAndPostgresAreNamedWithinThirtySeconds() throws Exception {
    long started = System.nanoTime();
    try (LedgerProcess ledger = LedgerProcess.start("dev", "--kafka-bootstrap", "127.0.0.1:1",
        "--jdbc-url", "jdbc:postgresql://127.0.0.1:1/ledger?user=postgres", "--api-port", "0")) {
      assertThat(ledger.awaitExit(Duration.ofSeconds(45))).isEqualTo(3);
      assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(30));
      assertThat(ledger.stderr()).containsAnyOf("Kafka at 127.0.0.1:1", "PostgreSQL at jdbc:postgresql://127.0.0.1:1")
          .doesNotContain("\tat ");
    }
  }

  @Test
  void aDataDirectoryThatCannotBeCreatedIsNamed() throws Exception {
    Path file = dir.resolve("not-a-dir");
    Files.writeString(file, "x", StandardCharsets.UTF_8);
    try (LedgerProcess ledger = LedgerProcess.start("dev", "--data-dir", file.resolve("data").toString(),
        "--kafka-port", "0", "--pg-port", "0", "--api-port", "0")) {
      assertThat(ledger.awaitExit(Duration.ofSeconds(30))).isEqualTo(3);
      assertThat(ledger.stderr()).contains(file.resolve("data").toString()).contains("--data-dir")
          .doesNotContain("\tat ");
    }
  }

  private static List<String> topicNames() {
    return Topics.all().stream().map(TopicSpec::name).toList();
  }

  private static JsonNode health(String apiUrl) throws Exception {
    HttpResponse<String> response = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create(apiUrl + "/health")).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return new ObjectMapper().readTree(response.body());
  }

  private static Set<String> tables(Statement s) throws Exception {
    Set<String> names = new HashSet<>();
    try (ResultSet rs = s.executeQuery("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")) {
      while (rs.next()) {
        names.add(rs.getString(1));
      }
    }
    return names;
  }
}
