package dev.ledger.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The embedded servers keep their data across a stop and a start on the same directory. */
class EmbeddedRestartIT {
  private static final Duration TIMEOUT = Duration.ofSeconds(60);

  @TempDir Path dir;

  @Test
  void kafkaKeepsTopicsAndRecordsAcrossRestart() throws Exception {
    Path logDir = dir.resolve("kafka");
    try (EmbeddedKafka kafka = EmbeddedKafka.start(logDir, 0, "--kafka-port", TIMEOUT)) {
      try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
        admin.createTopics(List.of(new NewTopic("kept", 1, (short) 1))).all().get();
      }
      try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
          "bootstrap.servers", kafka.bootstrapServers(), "acks", "all"),
          new StringSerializer(), new StringSerializer())) {
        producer.send(new ProducerRecord<>("kept", "site-1", "hello")).get();
      }
    }
    try (EmbeddedKafka kafka = EmbeddedKafka.start(logDir, 0, "--kafka-port", TIMEOUT)) {
      Properties props = new Properties();
      props.put("bootstrap.servers", kafka.bootstrapServers());
      props.put("group.id", "restart-check");
      props.put("auto.offset.reset", "earliest");
      try (KafkaConsumer<String, String> consumer =
          new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer())) {
        consumer.subscribe(List.of("kept"));
        ConsumerRecords<String, String> records = ConsumerRecords.empty();
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (records.isEmpty() && System.nanoTime() < deadline) {
          records = consumer.poll(Duration.ofMillis(500));
        }
        assertThat(records.count()).isEqualTo(1);
        assertThat(records.iterator().next().value()).isEqualTo("hello");
      }
    }
  }

  @Test
  void postgresKeepsRowsAcrossRestartAndRunsDurably() throws Exception {
    Path data = dir.resolve("pg");
    Path bin = dir.resolve("pg-bin");
    try (EmbeddedPostgresServer pg = EmbeddedPostgresServer.start(data, bin, 0, "--pg-port", "ledger", TIMEOUT);
        Connection c = pg.dataSource().getConnection();
        Statement s = c.createStatement()) {
      s.execute("CREATE TABLE kept (id int PRIMARY KEY)");
      s.execute("INSERT INTO kept VALUES (42)");
    }
    try (EmbeddedPostgresServer pg = EmbeddedPostgresServer.start(data, bin, 0, "--pg-port", "ledger", TIMEOUT);
        Connection c = pg.dataSource().getConnection();
        Statement s = c.createStatement()) {
      try (ResultSet rs = s.executeQuery("SELECT id FROM kept")) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getInt(1)).isEqualTo(42);
      }
      for (String setting : List.of("fsync", "synchronous_commit", "full_page_writes")) {
        try (ResultSet rs = s.executeQuery("SHOW " + setting)) {
          rs.next();
          assertThat(rs.getString(1)).as(setting).isEqualTo("on");
        }
      }
      assertThat(pg.jdbcUrl()).startsWith("jdbc:postgresql://127.0.0.1:" + pg.port() + "/ledger");
    }
  }

  @Test
  void aPortInUseIsNamedWithTheOptionToChange() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      int port = taken.getLocalPort();
      assertThatThrownBy(() -> EmbeddedKafka.start(dir.resolve("k"), port, "--kafka-port", TIMEOUT))
          .isInstanceOf(InfrastructureException.class)
          .hasMessageContaining("127.0.0.1:" + port)
          .hasMessageContaining("--kafka-port");
    }
  }

  @Test
  void aSecondKafkaOnTheSameDirectoryIsRefusedBeforeItTouchesIt() throws Exception {
    Path logDir = dir.resolve("shared-kafka");
    try (EmbeddedKafka first = EmbeddedKafka.start(logDir, 0, "--kafka-port", TIMEOUT)) {
      assertThatThrownBy(() -> EmbeddedKafka.start(logDir, 0, "--kafka-port", TIMEOUT))
          .isInstanceOf(InfrastructureException.class)
          .hasMessageContaining(logDir.toString())
          .hasMessageContaining("is in use (held by pid " + ProcessHandle.current().pid());
      try (Admin admin = Admin.create(Map.of("bootstrap.servers", first.bootstrapServers()))) {
        assertThat(admin.describeCluster().nodes().get()).hasSize(1);
      }
    }
    try (EmbeddedKafka again = EmbeddedKafka.start(logDir, 0, "--kafka-port", TIMEOUT)) {
      assertThat(again.bootstrapServers()).startsWith("127.0.0.1:");
    }
  }

  @Test
  void aSecondPostgresOnTheSameDirectoryIsRefused() {
    Path data = dir.resolve("shared-pg");
    Path bin = dir.resolve("pg-bin");
    try (EmbeddedPostgresServer first = EmbeddedPostgresServer.start(data, bin, 0, "--pg-port", "ledger", TIMEOUT)) {
      assertThatThrownBy(() -> EmbeddedPostgresServer.start(data, bin, 0, "--pg-port", "ledger", TIMEOUT))
          .isInstanceOf(InfrastructureException.class)
          .hasMessageContaining(data.toString())
          .hasMessageContaining("is in use (held by pid");
      assertThat(first.port()).isPositive();
    }
  }

  @Test
  void aDataDirectoryThatCannotBeCreatedIsNamed() throws Exception {
    Path file = dir.resolve("a-file");
    Files.writeString(file, "not a directory", StandardCharsets.UTF_8);
    assertThatThrownBy(() -> DataDirectory.prepare(file.resolve("sub"), "--data-dir"))
        .isInstanceOf(InfrastructureException.class)
        .hasMessageContaining(file.resolve("sub").toString())
        .hasMessageContaining("--data-dir");
  }
}
