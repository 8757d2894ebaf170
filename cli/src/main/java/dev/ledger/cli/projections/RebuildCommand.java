package dev.ledger.cli.projections;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.ledger.migrations.Migrations;
import dev.ledger.projector.tables.ProjectorSettings;
import dev.ledger.projector.tables.Projectors;
import dev.ledger.projector.tables.SchemaDataSource;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import javax.sql.DataSource;
import org.apache.kafka.common.TopicPartition;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code ledger projections rebuild}: replays every topic from offset 0 into a fresh, migrated schema while the
 * current tables keep serving, then swaps the two schemas in one transaction (blue/green).
 */
@Command(
    name = "rebuild",
    mixinStandardHelpOptions = true,
    usageHelpAutoWidth = true,
    description = {
        "Rebuild every projection from the ledger: replay all topics from offset 0 into a fresh schema while the",
        "current tables keep serving, then switch atomically (the old tables are kept as schema ledger_old_<time>).",
        "Dead letters are not re-emitted during the replay."
    })
public final class RebuildCommand implements Callable<Integer> {
  @Option(names = "--kafka-bootstrap", required = true, paramLabel = "HOST:PORT", description = "Kafka to replay.")
  String kafkaBootstrap;

  @Option(names = "--jdbc-url", required = true, paramLabel = "URL",
      description = "The PostgreSQL database whose public schema holds the projections.")
  String jdbcUrl;

  @Option(names = "--no-switch", description = "Build the new schema but do not switch to it.")
  boolean noSwitch;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(jdbcUrl);
    config.setMaximumPoolSize(8);
    try (HikariDataSource root = new HikariDataSource(config)) {
      Blue result = rebuild(root, ProjectorSettings.defaults(kafkaBootstrap, root), !noSwitch,
          spec.commandLine().getOut());
      double seconds = result.elapsed().toMillis() / 1000.0;
      spec.commandLine().getOut().printf("%nrebuilt %,d events in %s (%,.0f events/s) into %s%s%n", result.events(),
          ProgressBar.clock(Math.round(seconds)), seconds > 0 ? result.events() / seconds : 0, result.schema(),
          result.old() == null ? " (not switched)"
              : "; now serving it as public, previous tables kept in " + result.old());
    }
    return 0;
  }

  /** What a rebuild did: the events replayed, how long, the schema built and the old one (null if not switched). */
  record Blue(long events, Duration elapsed, String schema, String old) {
  }

  /**
   * Records replayed towards the target: per projection and partition it reads, the stored next offset, counted
   * up to the end offset taken at the start. A sum over every stored offset would not do: events that arrive
   * during the replay would make up for partitions still behind, and the switch would come too early.
   */
  private static long replayed(Statement s, Map<String, List<String>> read, Map<TopicPartition, Long> ends)
      throws SQLException {
    long done = 0;
    try (ResultSet rs = s.executeQuery("SELECT projection, topic, partition, next_offset FROM projector_offsets")) {
      while (rs.next()) {
        List<String> topics = read.get(rs.getString(1));
        Long end = ends.get(new TopicPartition(rs.getString(2), rs.getInt(3)));
        if (topics != null && topics.contains(rs.getString(2)) && end != null) {
          done += Math.min(rs.getLong(4), end);
        }
      }
    }
    return done;
  }

  static Blue rebuild(DataSource root, ProjectorSettings live, boolean switchOver, PrintWriter out)
      throws Exception {
    String stamp = Long.toString(Instant.now().getEpochSecond());
    String schema = "ledger_build_" + stamp;
    Migrations.apply(root, schema);
    Map<String, List<String>> read = Projectors.topicsRead(live);
    Map<TopicPartition, Long> ends = ReplayTarget.ends(live.bootstrapServers(),
        read.values().stream().flatMap(List::stream).toList());
    long total = 0;
    for (List<String> topics : read.values()) {
      total += ends.entrySet().stream().filter(e -> topics.contains(e.getKey().topic()))
          .mapToLong(Map.Entry::getValue).sum();
    }
    ProjectorSettings settings = live.withDataSource(new SchemaDataSource(root, schema))
        .withGroupPrefix(live.groupPrefix() + "-rebuild-" + stamp).withSideEffects(false);
    ProgressBar bar = new ProgressBar(out, total);
    long start = System.nanoTime();
    try (Projectors projectors = Projectors.start(settings);
        Connection c = settings.dataSource().getConnection(); Statement s = c.createStatement()) {
      long done = 0;
      while (done < total) {
        Thread.sleep(250);
        done = replayed(s, read, ends);
        bar.show(done);
        if (!projectors.healthy() && projectors.status().contains("error")) {
          out.println();
          out.println("projectors report errors, still retrying: " + projectors.status());
        }
      }
    }
    Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
    String old = null;
    if (switchOver) {
      old = "ledger_old_" + stamp;
      try (Connection c = root.getConnection(); Statement s = c.createStatement()) {
        c.setAutoCommit(false);
        // One transaction: readers see either the old tables or the new ones. Running projectors notice that the
        // stored offsets moved (their conditional offset write matches no row) and re-seek to the new ones.
        s.execute("ALTER SCHEMA public RENAME TO " + old);
        s.execute("ALTER SCHEMA " + schema + " RENAME TO public");
        c.commit();
      }
    }
    return new Blue(total, elapsed, switchOver ? "public" : schema, old);
  }
}
