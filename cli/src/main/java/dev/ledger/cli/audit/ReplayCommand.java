package dev.ledger.cli.audit;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ledger.cli.projections.ProgressBar;
import dev.ledger.embedded.InfrastructureException;
import dev.ledger.events.EventSerde;
import dev.ledger.events.rules.ComplianceScoring;
import dev.ledger.events.rules.ComplianceScoring.Result;
import dev.ledger.events.rules.ComplianceScoring.Score;
import dev.ledger.projector.tables.ProjectorTopics;
import java.io.PrintWriter;
import java.sql.SQLException;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import org.apache.kafka.common.TopicPartition;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code ledger audit replay}: a site's compliance state as of an instant, rebuilt from Kafka without PostgreSQL,
 * and held against the projection when a database is given.
 */
@Command(
    name = "replay",
    mixinStandardHelpOptions = true,
    usageHelpAutoWidth = true,
    description = {
        "Rebuild a site's compliance state as of a time straight from Kafka, without PostgreSQL: the latest result",
        "per (check, host) within the 30 days before T, the compliance score, the open incidents and the active",
        "flap suppressions. Reads only the site's partition, up to the end offsets taken when it starts.",
        "",
        "'As of' runs on the agent's clock: a result counts by its checked_at, an incident or suppression event by",
        "its occurred_at. Evidence that reached the ledger (or was sealed) after T but was checked before T counts:",
        "it says what was true at T.",
        "",
        "With --jdbc-url the replay is compared with the PostgreSQL projection read at the projectors' own offsets;",
        "any difference is listed and the exit code is 4. Open incidents and suppressions are compared only when",
        "no incident event after T was left out (the projection holds the present)."
    },
    footer = {"", "Exit codes: 0 ok (and identical to the projection), 2 bad input (unknown site, unreadable or "
        + "future time), 3 Kafka or PostgreSQL unavailable or the projection behind, 4 replay and projection differ."})
public final class ReplayCommand implements Callable<Integer> {
  @Option(names = "--site", required = true, paramLabel = "SITE_ID", description = "The site to replay.")
  String siteId;

  @Option(names = "--as-of", defaultValue = "now", paramLabel = "TIME",
      description = "ISO-8601 time, e.g. 2026-03-31T23:59:59Z or 2026-03-31T23:59:59-05:00 (default: now).")
  String asOfText;

  @Option(names = "--kafka-bootstrap", defaultValue = "127.0.0.1:9092", paramLabel = "HOST:PORT[,...]",
      description = "The Kafka cluster of the ledger (default: ${DEFAULT-VALUE}, what 'ledger dev' runs).")
  String kafkaBootstrap;

  @Option(names = "--jdbc-url", paramLabel = "URL",
      description = "Compare with the projection in this PostgreSQL (jdbc:postgresql://host:port/db?user=...).")
  String jdbcUrl;

  @Option(names = "--wait", defaultValue = "30", paramLabel = "SECONDS",
      description = "How long to wait for the projectors to catch up with the replay (default: ${DEFAULT-VALUE}).")
  int waitSeconds;

  @Option(names = "--topic-prefix", defaultValue = "", paramLabel = "PREFIX",
      description = "Prefix of every topic name (tests and blue/green setups; default: none).")
  String topicPrefix;

  @Option(names = "--json", description = "Print the state as JSON instead of text.")
  boolean json;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    Instant now = Instant.now();
    Instant asOf = parseTime(asOfText, "--as-of", now);
    if (asOf.isAfter(now)) {
      throw new IllegalArgumentException("--as-of " + asOf + " is in the future (now is " + now
          + "): the ledger can only say what was true up to now");
    }
    if (siteId.isBlank()) {
      throw new IllegalArgumentException("--site must name a site");
    }
    if (waitSeconds < 0) {
      throw new IllegalArgumentException("--wait must not be negative, got " + waitSeconds);
    }
    if (jdbcUrl != null && !jdbcUrl.startsWith("jdbc:postgresql:")) {
      throw new IllegalArgumentException("--jdbc-url must start with jdbc:postgresql:, got " + jdbcUrl);
    }
    ProjectorTopics topics = topicPrefix.isEmpty() ? ProjectorTopics.defaults() : ProjectorTopics.prefixed(topicPrefix);
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    try (SiteReplay replay = SiteReplay.open(kafkaBootstrap, topics, siteId, asOf)) {
      ProgressBar bar = new ProgressBar(err, replay.total());
      boolean[] shown = {false};
      replay.replay(done -> {
        if (shown[0] || done < replay.total()) {
          bar.show(done);
          shown[0] = true;
        }
      });
      if (shown[0]) {
        err.println();
      }
      SiteReplay.Comparison comparison = jdbcUrl == null ? null
          : replay.compare(jdbi(jdbcUrl), Duration.ofSeconds(waitSeconds));
      if (json) {
        out.println(json(replay, comparison).toPrettyString());
      } else {
        text(out, replay, comparison);
      }
      out.flush();
      return comparison == null || comparison.differences().isEmpty() ? 0 : AuditCommand.BROKEN;
    }
  }

  /** {@code now}, an ISO-8601 instant or an ISO-8601 date-time with an offset. */
  static Instant parseTime(String text, String option, Instant now) {
    if ("now".equalsIgnoreCase(text.strip())) {
      return now;
    }
    try {
      return OffsetDateTime.parse(text.strip()).toInstant();
    } catch (DateTimeException e) {
      throw new IllegalArgumentException(option + ": cannot read '" + text + "' as a time; use ISO-8601 with a zone,"
          + " e.g. 2026-03-31T23:59:59Z or 2026-03-31T23:59:59-05:00", e);
    }
  }

  private static Jdbi jdbi(String url) {
    Jdbi jdbi = Jdbi.create(url);
    try (Handle h = jdbi.open()) {
      h.getConnection().isValid(5);
    } catch (SQLException | RuntimeException e) {
      throw new InfrastructureException("PostgreSQL at " + url + " does not answer: " + e.getMessage(), e);
    }
    return jdbi;
  }

  private static void text(PrintWriter out, SiteReplay replay, SiteReplay.Comparison comparison) {
    SiteState s = replay.state();
    Score score = s.score();
    out.printf("site %s as of %s (agent clock: results by checked_at, incident events by occurred_at)%n",
        s.siteId(), s.asOf());
    out.printf("replayed %,d records of partition %d up to %s; %,d undecodable, %,d incident events after T left "
        + "out%n", replay.records(), replay.partition(), offsets(replay.endOffsets()), replay.undecodable(),
        s.counts().afterAsOf());
    out.printf("compliance score: %s (%d of %d latest results pass; results checked %s .. %s)%n", score.display(),
        score.passed(), score.total(), ComplianceScoring.windowStart(s.asOf()), s.asOf());
    for (Result r : s.results()) {
      out.printf("  %-24s %-24s %-5s %s%n", r.checkType(), r.hostname(), r.status().wire(), r.checkedAt());
    }
    out.printf("open incidents: %d%n", s.openIncidents().size());
    s.openIncidents().forEach(i -> out.printf("  %s %s %s (%s) detected %s%n", i.incidentId(), i.hostname(),
        i.incidentType(), i.severity(), i.detectedAt()));
    out.printf("active flap suppressions: %d%n", s.activeSuppressions().size());
    s.activeSuppressions().forEach(f -> out.printf("  %s %s: %d heals, suppressed %s%n", f.hostname(),
        f.incidentType(), f.healCount(), f.suppressedAt()));
    if (comparison == null) {
      out.println("projection: not compared (no --jdbc-url)");
      return;
    }
    String scope = comparison.incidentsCompared() ? "results, score, open incidents and suppressions"
        : "results and score (open incidents and suppressions not compared: incident events after T)";
    if (comparison.differences().isEmpty()) {
      out.printf("projection: identical (%s, at offsets %s)%n", scope, offsets(comparison.offsets()));
    } else {
      out.printf("projection: %d differences (%s, at offsets %s)%n", comparison.differences().size(), scope,
          offsets(comparison.offsets()));
      comparison.differences().forEach(d -> out.println("  " + d));
    }
  }

  private static ObjectNode json(SiteReplay replay, SiteReplay.Comparison comparison) {
    SiteState s = replay.state();
    Score score = s.score();
    ObjectNode root = EventSerde.mapper().createObjectNode();
    root.put("site_id", s.siteId());
    root.put("as_of", s.asOf().toString());
    root.put("time_basis", "agent clock: checked_at of results, occurred_at of incident and suppression events");
    root.put("window_start", ComplianceScoring.windowStart(s.asOf()).toString());
    root.put("partition", replay.partition());
    root.set("end_offsets", offsetsJson(replay.endOffsets()));
    root.put("records", replay.records());
    root.put("undecodable", replay.undecodable());
    root.put("incident_events_after_as_of", s.counts().afterAsOf());
    ObjectNode scoreNode = root.putObject("score");
    scoreNode.put("passed", score.passed());
    scoreNode.put("total", score.total());
    if (score.percent().isPresent()) {
      scoreNode.put("percent", score.percent().getAsDouble());
    } else {
      scoreNode.putNull("percent");
    }
    scoreNode.put("display", score.display());
    ArrayNode results = root.putArray("results");
    s.results().forEach(r -> results.addObject().put("check_type", r.checkType()).put("hostname", r.hostname())
        .put("status", r.status().wire()).put("checked_at", r.checkedAt().toString()));
    ArrayNode incidents = root.putArray("open_incidents");
    s.openIncidents().forEach(i -> incidents.addObject().put("incident_id", i.incidentId())
        .put("hostname", i.hostname()).put("incident_type", i.incidentType()).put("severity", i.severity())
        .put("check_type", i.checkType()).put("detected_at", i.detectedAt().toString()));
    ArrayNode suppressions = root.putArray("active_suppressions");
    s.activeSuppressions().forEach(f -> suppressions.addObject().put("hostname", f.hostname())
        .put("incident_type", f.incidentType()).put("heal_count", f.healCount())
        .put("suppressed_at", f.suppressedAt().toString()));
    if (comparison == null) {
      root.putNull("projection");
    } else {
      ObjectNode p = root.putObject("projection");
      p.set("offsets", offsetsJson(comparison.offsets()));
      p.put("incidents_compared", comparison.incidentsCompared());
      p.put("identical", comparison.differences().isEmpty());
      ArrayNode diffs = p.putArray("differences");
      comparison.differences().forEach(diffs::add);
    }
    return root;
  }

  private static String offsets(Map<TopicPartition, Long> offsets) {
    return texts(offsets).toString();
  }

  private static Map<String, Long> texts(Map<TopicPartition, Long> offsets) {
    Map<String, Long> named = new TreeMap<>();
    offsets.forEach((tp, o) -> named.put(tp.topic() + "-" + tp.partition(), o));
    return named;
  }

  private static ObjectNode offsetsJson(Map<TopicPartition, Long> offsets) {
    ObjectNode node = EventSerde.mapper().createObjectNode();
    texts(offsets).forEach(node::put);
    return node;
  }
}
