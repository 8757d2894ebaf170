package dev.ledger.cli.projections;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.ledger.cli.bench.BenchContext;
import dev.ledger.cli.bench.BenchResult;
import dev.ledger.cli.bench.BenchScenario;
import dev.ledger.events.Envelope;
import dev.ledger.events.EventSerde;
import dev.ledger.events.IncidentDetected;
import dev.ledger.events.IncidentResolved;
import dev.ledger.events.ResolutionLevel;
import dev.ledger.events.ResolutionOutcome;
import dev.ledger.events.kafka.TopicAdmin;
import dev.ledger.events.kafka.TopicSpec;
import dev.ledger.events.kafka.Topics;
import dev.ledger.events.rules.PatternSignature;
import dev.ledger.migrations.Migrations;
import dev.ledger.projector.tables.ProjectorSettings;
import dev.ledger.projector.tables.ProjectorTopics;
import dev.ledger.projector.tables.Projectors;
import dev.ledger.projector.tables.SchemaDataSource;
import dev.ledger.projector.tables.WriteMode;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
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
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.postgresql.PGConnection;
import org.postgresql.copy.PGCopyOutputStream;

/**
 * The incidents projector: events from a 6-partition topic into a migrated copy of the tables (its own schema),
 * in batch mode and in naive mode (one statement per event), beside a raw COPY of as many incident rows into the
 * same table in the same run. Times run from start to the last offset stored, consumer group join included.
 */
public final class ProjectorBenchScenario implements BenchScenario {
  static final String COPY = "projector-pg-copy";
  static final String NAIVE = "projector-naive";
  private static final int EVENTS = 1_000_000;
  private static final Instant T0 = Instant.parse("2026-11-01T00:00:00Z");

  @Override
  public String name() {
    return "projector";
  }

  @Override
  public String description() {
    return "incident events projected into PostgreSQL: batch vs naive vs raw COPY of the same rows";
  }

  @Override
  public List<BenchResult> run(BenchContext context) throws Exception {
    int events = context.count(EVENTS);
    String run = "bench-" + UUID.randomUUID().toString().substring(0, 8);
    ProjectorTopics topics = ProjectorTopics.prefixed(run + "-");
    produce(context.bootstrapServers(), topics, events);
    List<BenchResult> results = new ArrayList<>();
    Duration copy = copy(context.dataSource(), events);
    results.add(BenchResult.raw(COPY, "PostgreSQL COPY of " + events + " rows into the projection's incidents table"
        + " (its checks and every index the migrations give it), one transaction", events, "rows", copy));
    Duration naive = project(context, topics, events, WriteMode.NAIVE, "bench_proj_naive", run);
    results.add(BenchResult.raw(NAIVE, "naive projector: one upsert statement per event, one transaction per poll",
        events, "events", naive));
    Duration fast = project(context, topics, events, WriteMode.BATCH, "bench_proj_batch", run);
    String what = events + " incident events (70% detected, 30% resolved), 6 partitions, exactly once";
    results.add(new BenchResult("projector-incidents", "batch projector vs COPY: " + what, events, "events", fast,
        COPY, null, null));
    results.add(new BenchResult("projector-incidents-vs-naive", "batch projector vs naive: same run", events,
        "events", fast, NAIVE, null, null));
    return results;
  }

  private static Duration project(BenchContext context, ProjectorTopics topics, int events, WriteMode mode,
      String schema, String run) throws Exception {
    DataSource ds = new SchemaDataSource(context.dataSource(), schema);
    drop(context.dataSource(), schema);
    Migrations.apply(context.dataSource(), schema);
    ProjectorSettings settings = ProjectorSettings.defaults(context.bootstrapServers(), ds).withTopics(topics)
        .withGroupPrefix(run + "-" + schema).withMode(mode).withProjections(List.of("incidents"));
    long start = System.nanoTime();
    try (Projectors projectors = Projectors.start(settings);
        Connection c = ds.getConnection(); Statement s = c.createStatement()) {
      while (true) {
        try (var rs = s.executeQuery("SELECT coalesce(sum(next_offset), 0) FROM projector_offsets")) {
          rs.next();
          if (rs.getLong(1) >= events) {
            break;
          }
        }
        if (!projectors.healthy() && projectors.status().contains("error")) {
          throw new IllegalStateException("projector failed: " + projectors.status());
        }
        Thread.sleep(20);
      }
    }
    Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
    drop(context.dataSource(), schema);
    return elapsed;
  }

  private static Duration copy(DataSource root, int rows) throws Exception {
    String schema = "bench_proj_copy";
    drop(root, schema);
    Migrations.apply(root, schema);
    long start = System.nanoTime();
    try (Connection c = new SchemaDataSource(root, schema).getConnection()) {
      c.setAutoCommit(false);
      try (PGCopyOutputStream out = new PGCopyOutputStream(c.unwrap(PGConnection.class),
              "COPY incidents (incident_id, site_id, appliance_id, hostname, incident_type, severity, check_type,"
                  + " drift_type, error_message, pattern_signature, raw_data, status, detected_at, last_event_id)"
                  + " FROM STDIN (FORMAT csv)", 1 << 16);
          Writer w = new OutputStreamWriter(out, StandardCharsets.UTF_8)) {
        String signature = signature();
        for (int i = 0; i < rows; i++) {
          w.write(incidentId(i) + "," + site(i) + ",a-" + site(i) + ",host-" + (i % 50)
              + ",patching,high,windows_update,drift,updates pending," + signature + ",\"{\"\"kb\"\": " + i
              + "}\",open," + T0.plusMillis(i) + "," + UUID.randomUUID() + "\n");
        }
      }
      c.commit();
    }
    Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
    drop(root, schema);
    return elapsed;
  }

  /**
   * Sends the scenario's incident events (70% detected, 30% resolving an incident detected earlier in the same
   * site, 200 sites) to the incident topic of {@code topics}, creating it if needed; also what
   * {@code ledger projections generate} sends.
   */
  static void produce(String bootstrap, ProjectorTopics topics, int events) throws Exception {
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
      TopicSpec spec = Topics.INCIDENT_EVENTS;
      TopicAdmin.ensureTopics(admin, List.of(new TopicSpec(topics.incidents(), spec.partitions(), spec.configs(),
          spec.key(), spec.value())), Duration.ofSeconds(30));
    }
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    props.put(ProducerConfig.ACKS_CONFIG, "all"); // durability is never weakened, benchmarks included
    props.put(ProducerConfig.LINGER_MS_CONFIG, 5); // fuller batches
    props.put(ProducerConfig.BATCH_SIZE_CONFIG, 64 * 1024);
    props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
    String signature = signature();
    try (KafkaProducer<String, byte[]> producer =
        new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer())) {
      int detected = 0;
      for (int i = 0; i < events; i++) {
        Envelope e;
        if (i % 10 < 7 || detected <= i / 3) {
          int n = detected++;
          e = Envelope.of(site(n), "a-" + site(n), T0.plusMillis(i), new IncidentDetected(incidentId(n),
              "host-" + (n % 50), "patching", "high", "windows_update", "drift", null, "updates pending", signature,
              JsonNodeFactory.instance.objectNode().put("kb", n)));
        } else {
          int n = i / 3; // an incident detected earlier, in the same site (same partition)
          e = Envelope.of(site(n), "a-" + site(n), T0.plusMillis(i), new IncidentResolved(incidentId(n),
              ResolutionLevel.L1, "run_updates", ResolutionOutcome.SUCCESS, 1200, signature));
        }
        producer.send(new ProducerRecord<>(topics.incidents(), e.siteId(), EventSerde.serialize(e)));
      }
      producer.flush();
    }
  }

  private static void drop(DataSource root, String schema) throws Exception {
    try (Connection c = root.getConnection(); Statement s = c.createStatement()) {
      s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
    }
  }

  private static String signature() {
    return PatternSignature.of("patching", "windows_update", "drift", null, "updates pending");
  }

  private static String site(int n) {
    return "site-" + (n % 200);
  }

  private static String incidentId(int n) {
    return String.format("INC-%020d%04x", n, n & 0xffff);
  }
}
