package dev.ledger.cli.projections;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.ledger.events.Envelope;
import dev.ledger.events.EventSerde;
import dev.ledger.events.PartnerRegistered;
import dev.ledger.events.kafka.TopicAdmin;
import dev.ledger.events.kafka.TopicSpec;
import dev.ledger.events.kafka.Topics;
import dev.ledger.migrations.Migrations;
import dev.ledger.projector.tables.ProjectorSettings;
import dev.ledger.projector.tables.ProjectorTopics;
import dev.ledger.projector.tables.Projectors;
import dev.ledger.testkit.Await;
import dev.ledger.testkit.SharedInfra;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import javax.sql.DataSource;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/** A blue/green rebuild while the live projectors keep running, then events after the switch. */
class RebuildIT {
  private static final Instant T0 = Instant.parse("2026-11-01T00:00:00Z");

  @Test
  void rebuildsIntoANewSchemaSwitchesAndTheLiveProjectorsFollow() throws Exception {
    String id = UUID.randomUUID().toString().substring(0, 8);
    ProjectorTopics topics = ProjectorTopics.prefixed("rb" + id + "-");
    List<TopicSpec> specs = new ArrayList<>();
    for (TopicSpec spec : Topics.all()) {
      specs.add(new TopicSpec("rb" + id + "-" + spec.name(), 2, Map.of(), spec.key(), spec.value()));
    }
    try (Admin admin = SharedInfra.kafka().admin()) {
      TopicAdmin.ensureTopics(admin, specs, Duration.ofSeconds(30));
    }
    DataSource db = SharedInfra.postgres().newDatabase("rebuild_" + id);
    Migrations.apply(db);
    ProjectorSettings live = ProjectorSettings.defaults(SharedInfra.kafka().bootstrapServers(), db)
        .withTopics(topics).withGroupPrefix("rb" + id);
    try (KafkaProducer<String, byte[]> producer = producer(); Projectors projectors = Projectors.start(live)) {
      send(producer, topics, 0, 500);
      await(db, "SELECT count(*) FROM partners", 500);

      StringWriter out = new StringWriter();
      RebuildCommand.Blue blue = RebuildCommand.rebuild(db, live, true, new PrintWriter(out, true));
      assertThat(blue.events()).isEqualTo(500);
      assertThat(out.toString()).contains("100% 500/500 events").contains("ETA");
      assertThat(count(db, "SELECT count(*) FROM partners")).isEqualTo(500);
      assertThat(count(db, "SELECT count(*) FROM " + blue.old() + ".partners")).isEqualTo(500);

      send(producer, topics, 500, 100); // after the switch: the live projectors write into the new tables
      await(db, "SELECT count(*) FROM partners", 600);
      assertThat(count(db, "SELECT count(*) FROM " + blue.old() + ".partners")).isEqualTo(500);
      assertThat(count(db, "SELECT sum(next_offset) FROM projector_offsets")).isEqualTo(600);
    }
  }

  private static void send(KafkaProducer<String, byte[]> producer, ProjectorTopics topics, int from, int n)
      throws Exception {
    for (int i = from; i < from + n; i++) {
      Envelope e = Envelope.of(Envelope.FLEET_SITE_ID, null, T0.plusSeconds(i),
          new PartnerRegistered("p" + i, "MSP " + i, null));
      producer.send(new ProducerRecord<>(topics.registry(), "p" + (i % 7), EventSerde.serialize(e)));
    }
    producer.flush();
  }

  private static KafkaProducer<String, byte[]> producer() {
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedInfra.kafka().bootstrapServers());
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    return new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
  }

  private static void await(DataSource db, String sql, long expected) {
    Await.until(() -> sql + " = " + expected + ", is " + countOrError(db, sql), Duration.ofSeconds(60),
        () -> countOrError(db, sql) == expected);
  }

  private static long countOrError(DataSource db, String sql) {
    try {
      return count(db, sql);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }


  private static long count(DataSource db, String sql) throws Exception {
    try (Connection c = db.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
