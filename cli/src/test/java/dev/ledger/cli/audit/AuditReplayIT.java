package dev.ledger.cli.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ledger.cli.CliHarness;
import dev.ledger.cli.audit.AuditFixture.Appliance;
import dev.ledger.events.CheckStatus;
import dev.ledger.events.EventSerde;
import dev.ledger.events.EvidenceCheck;
import dev.ledger.events.FlapSuppressionCleared;
import dev.ledger.events.FlapSuppressionRecorded;
import dev.ledger.events.IncidentDetected;
import dev.ledger.events.IncidentResolved;
import dev.ledger.events.ResolutionLevel;
import dev.ledger.events.ResolutionOutcome;
import dev.ledger.events.rules.IncidentIds;
import dev.ledger.events.rules.PatternSignature;
import dev.ledger.testkit.Await;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code ledger audit replay} against the real pipeline: events go through the real Streams app and projectors
 * into PostgreSQL, then the replay rebuilds the site's state from Kafka alone, now and in the past, and holds it
 * against the projection.
 */
class AuditReplayIT {
  private static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.MICROS);
  private static final Instant PAST = NOW.minus(Duration.ofDays(10));
  private static final String SIGNATURE = PatternSignature.of("backup_failed", "backup", "missed", "veeam", null);
  private static AuditFixture fx;
  private static String site;
  private static int sitePartition;
  private static String resolvedIncident;
  private static String openIncident;

  @BeforeAll
  static void pipeline() throws Exception {
    fx = AuditFixture.start("replay");
    site = fx.name + "-clinic";
    String other = fx.name + "-other";
    Instant registered = NOW.minus(Duration.ofDays(60));
    sitePartition = fx.registerSite(site, registered);
    fx.registerSite(other, registered);
    Appliance a = fx.registerAppliance("app-" + fx.name, site, registered);
    Appliance b = fx.registerAppliance("app-other-" + fx.name, other, registered);

    // 20 days ago: encryption passes, backup fails. 5 days ago: backup passes. 1 hour ago: h2 fails encryption.
    fx.evidence(a, "b1", NOW.minus(Duration.ofDays(20)), List.of(check("encryption", "h1", CheckStatus.PASS),
        check("backup", "h1", CheckStatus.FAIL)));
    fx.evidence(a, "b2", NOW.minus(Duration.ofDays(5)), List.of(check("backup", "h1", CheckStatus.PASS)));
    fx.evidence(a, "b3", NOW.minus(Duration.ofHours(1)), List.of(check("encryption", "h2", CheckStatus.FAIL)));
    fx.evidence(a, "b0", NOW.minus(Duration.ofDays(45)), List.of(check("firewall", "h1", CheckStatus.FAIL)));
    fx.evidence(b, "x1", NOW.minus(Duration.ofDays(2)), List.of(check("encryption", "h1", CheckStatus.FAIL)));
    fx.sendRaw("evidence-events", site, "\u0000not an envelope".getBytes(StandardCharsets.UTF_8));

    // An incident open 10 days ago and resolved since; one opened 2 days ago and still open.
    resolvedIncident = IncidentIds.next(NOW.minus(Duration.ofDays(12)));
    openIncident = IncidentIds.next(NOW.minus(Duration.ofDays(2)));
    fx.event(site, a.id(), NOW.minus(Duration.ofDays(12)), detected(resolvedIncident));
    fx.event(site, a.id(), NOW.minus(Duration.ofDays(8)), new IncidentResolved(resolvedIncident, ResolutionLevel.L2,
        "restart_backup_job", ResolutionOutcome.SUCCESS, 1_000, SIGNATURE));
    fx.event(site, a.id(), NOW.minus(Duration.ofDays(2)), detected(openIncident));
    // Detected 7 days ago, never resolved by the agent: the backup pass of h1 5 days ago (b2) resolves it.
    fx.event(site, a.id(), NOW.minus(Duration.ofDays(7)), detected(IncidentIds.next(NOW.minus(Duration.ofDays(7)))));
    fx.event(other, b.id(), NOW.minus(Duration.ofDays(2)), detected(IncidentIds.next(NOW)));
    // A flap suppression active 10 days ago, cleared since; another one active now.
    fx.event(site, a.id(), NOW.minus(Duration.ofDays(11)), new FlapSuppressionRecorded("h1", "backup_failed", 3,
        120, NOW.minus(Duration.ofDays(11)).minusSeconds(3600), NOW.minus(Duration.ofDays(11))));
    fx.event(site, null, NOW.minus(Duration.ofDays(3)), new FlapSuppressionCleared("h1", "backup_failed",
        "operator@msp", "fixed"));
    fx.event(site, a.id(), NOW.minus(Duration.ofDays(1)), new FlapSuppressionRecorded("h2", "av_stopped", 3,
        120, NOW.minus(Duration.ofDays(1)).minusSeconds(3600), NOW.minus(Duration.ofDays(1))));

    Await.until(() -> "projection of the site: " + fx.status(), AuditFixture.await(),
        () -> fx.count("SELECT count(*) FROM evidence_bundles WHERE site_id = '" + site + "'") == 4
            && fx.count("SELECT count(*) FROM flap_suppressions WHERE site_id = '" + site + "'") == 2
            && fx.count("SELECT count(*) FROM incidents WHERE site_id = '" + site + "' AND status = 'resolved'")
                == 2
            && fx.count("SELECT count(*) FROM incidents WHERE site_id = '" + site + "' AND resolved_by_bundle = 'b2'")
                == 1);
  }

  @AfterAll
  static void stop() {
    if (fx != null) {
      fx.close();
    }
  }

  @Test
  void theSitesPartitionIsTheDefaultPartitionersChoice() {
    assertThat(SitePartitions.partitionFor(site, 6)).isEqualTo(sitePartition);
  }

  @Test
  void replayNowEqualsTheProjection() throws Exception {
    CliHarness cli = new CliHarness();
    int code = cli.run(replay("--as-of", "now", "--json"));

    assertThat(code).as(cli.out() + cli.err()).isZero();
    JsonNode out = EventSerde.mapper().readTree(cli.out());
    assertThat(out.path("partition").asInt()).isEqualTo(sitePartition);
    assertThat(out.path("undecodable").asLong()).isEqualTo(1);
    assertThat(out.path("score").path("passed").asLong()).isEqualTo(2);
    assertThat(out.path("score").path("total").asLong()).isEqualTo(3);
    assertThat(out.path("score").path("display").asText()).isEqualTo("66.7%");
    assertThat(texts(out.path("open_incidents"), "incident_id")).containsExactly(openIncident);
    assertThat(texts(out.path("active_suppressions"), "incident_type")).containsExactly("av_stopped");
    assertThat(out.path("projection").path("identical").asBoolean()).as(cli.out()).isTrue();
    assertThat(out.path("projection").path("incidents_compared").asBoolean()).isTrue();
  }

  @Test
  void replayInThePastDiffersFromNowAndItsResultsEqualTheProjectionAtThatTime() throws Exception {
    CliHarness cli = new CliHarness();
    int code = cli.run(replay("--as-of", PAST.toString(), "--json"));

    assertThat(code).as(cli.out() + cli.err()).isZero();
    JsonNode out = EventSerde.mapper().readTree(cli.out());
    assertThat(out.path("score").path("display").asText()).isEqualTo("50.0%");
    assertThat(texts(out.path("results"), "status")).containsExactly("fail", "pass"); // backup h1, encryption h1
    assertThat(texts(out.path("open_incidents"), "incident_id")).containsExactly(resolvedIncident);
    assertThat(texts(out.path("active_suppressions"), "incident_type")).containsExactly("backup_failed");
    assertThat(out.path("incident_events_after_as_of").asLong()).isEqualTo(5);
    assertThat(out.path("projection").path("identical").asBoolean()).as(cli.out()).isTrue();
    assertThat(out.path("projection").path("incidents_compared").asBoolean()).isFalse();
  }

  @Test
  void humanTextNamesTheState() {
    CliHarness cli = new CliHarness();
    int code = cli.run(replay("--as-of", "now"));

    assertThat(code).as(cli.err()).isZero();
    assertThat(cli.out()).contains("site " + site + " as of").contains("compliance score: 66.7% (2 of 3")
        .contains("open incidents: 1").contains(openIncident).contains("active flap suppressions: 1")
        .contains("projection: identical");
  }

  @Test
  void aProjectionThatDiffersIsReportedWithExitCodeFour() {
    String h2 = "site_id = '" + site + "' AND check_type = 'encryption' AND hostname = 'h2'";
    fx.jdbi.useHandle(h -> h.execute("UPDATE compliance_snapshots SET status = 'pass' WHERE " + h2));
    try {
      CliHarness cli = new CliHarness();
      int code = cli.run(replay("--as-of", "now"));

      assertThat(code).as(cli.out() + cli.err()).isEqualTo(AuditCommand.BROKEN);
      assertThat(cli.out()).contains("projection: 2 differences")
          .contains("score: replay 2/3 (66.7%), projection 3/3 (100.0%)")
          .contains("result encryption on h2: replay");
    } finally {
      fx.jdbi.useHandle(h -> h.execute("UPDATE compliance_snapshots SET status = 'fail' WHERE " + h2));
    }
  }

  @Test
  void badInputExitsTwoWithAMessage() {
    CliHarness cli = new CliHarness();
    assertThat(cli.run(replay("--site", "nowhere-" + fx.name))).isEqualTo(2);
    assertThat(cli.err()).contains("unknown site nowhere-" + fx.name);
    cli.clear();
    assertThat(cli.run(replay("--as-of", "last tuesday"))).isEqualTo(2);
    assertThat(cli.err()).contains("--as-of: cannot read 'last tuesday' as a time");
    cli.clear();
    assertThat(cli.run(replay("--as-of", NOW.plus(Duration.ofDays(1)).toString()))).isEqualTo(2);
    assertThat(cli.err()).contains("is in the future");
  }

  private static String[] replay(String... extra) {
    List<String> args = new ArrayList<>(List.of("audit", "replay", "--site", site, "--kafka-bootstrap",
        fx.bootstrap(), "--jdbc-url", fx.jdbcUrl(), "--topic-prefix", fx.prefix));
    for (int i = 0; i < extra.length; i++) {
      if (extra[i].equals("--site")) {
        args.set(args.indexOf("--site") + 1, extra[++i]);
      } else {
        args.add(extra[i]);
      }
    }
    return args.toArray(String[]::new);
  }

  private static List<String> texts(JsonNode array, String field) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.path(field).asText()));
    return out;
  }

  private static EvidenceCheck check(String type, String host, CheckStatus status) {
    return new EvidenceCheck(type, status, host, null, "164.312(a)(2)(iv)");
  }

  private static IncidentDetected detected(String id) {
    return new IncidentDetected(id, "h1", "backup_failed", "high", "backup", "missed", "veeam", null, SIGNATURE,
        null);
  }
}
