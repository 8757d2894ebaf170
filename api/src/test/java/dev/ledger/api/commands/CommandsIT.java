package dev.ledger.api.commands;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ledger.events.Envelope;
import dev.ledger.events.FlapSuppressionCleared;
import dev.ledger.events.FlapSuppressionRecorded;
import dev.ledger.events.OrderExpired;
import dev.ledger.events.OrderIssued;
import dev.ledger.events.PatternScope;
import dev.ledger.events.PatternStatsChanged;
import dev.ledger.events.PromotionDecided;
import dev.ledger.events.PromotionDecision;
import dev.ledger.events.kafka.Topics;
import dev.ledger.migrations.Migrations;
import dev.ledger.testkit.SharedInfra;
import dev.ledger.api.ApiConfig;
import dev.ledger.api.ApiServer;
import dev.ledger.api.auth.ApiKeys;
import dev.ledger.api.health.HealthRegistry;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Clock;
import javax.sql.DataSource;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Commands end to end on the real broker and PostgreSQL with the real projectors: HTTP → event on Kafka →
 * projection → {@code ?wait=true} answers with the projected resource; refusals (another tenant, a wrong
 * transition, bad input) publish nothing.
 */
class CommandsIT {
  private static CommandFixture f;

  @BeforeAll
  static void start() throws Exception {
    f = new CommandFixture("api_commands");
  }

  @AfterAll
  static void stop() {
    if (f != null) {
      f.close();
    }
  }

  private String order(int ttl) {
    return "{\"appliance_id\":\"" + f.a1 + "\",\"runbook_id\":\"RB-BACKUP-01\",\"parameters\":{\"job\":\"nightly\"},"
        + "\"ttl_seconds\":" + ttl + "}";
  }

  @Test
  void anIssuedOrderIsAnEventOnKafkaAndWaitAnswersWithTheProjectedOrder() throws Exception {
    HttpResponse<String> r = f.post(f.p1Key, "/v1/sites/" + f.s1 + "/orders?wait=true", order(3600));

    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    JsonNode body = CommandFixture.json(r);
    String eventId = body.get("event_id").asText();
    String orderId = body.at("/resource/order_id").asText();
    assertThat(body.get("status").asText()).isEqualTo("applied");
    assertThat(body.get("type").asText()).isEqualTo("order.issued");
    assertThat(body.at("/resource/status").asText()).isEqualTo("pending");
    assertThat(body.at("/resource/appliance_id").asText()).isEqualTo(f.a1);
    assertThat(body.at("/resource/parameters/job").asText()).isEqualTo("nightly");
    assertThat(r.headers().firstValue(CommandSupport.EVENT_ID_HEADER)).hasValue(eventId);
    assertThat(r.headers().firstValue("Location")).hasValue("/v1/sites/" + f.s1 + "/orders/" + orderId);

    List<Map.Entry<String, Envelope>> onKafka = CommandFixture.withId(Topics.ORDER_EVENTS, eventId);
    assertThat(onKafka).hasSize(1);
    assertThat(onKafka.get(0).getKey()).isEqualTo(f.s1);
    OrderIssued issued = (OrderIssued) onKafka.get(0).getValue().payload();
    assertThat(issued.orderId()).isEqualTo(orderId);
    assertThat(issued.issuedBy()).isEqualTo("partner:" + f.p1);
    assertThat(issued.expiresAt()).isEqualTo(f.clock.instant().plusSeconds(3600));
    // The appliance sees it among its pending orders (the read side).
    assertThat(f.get(f.a1Key, "/v1/appliance/orders").body()).contains(orderId);
  }

  @Test
  void withoutWaitTheAnswerIs202WithTheEventIdAndTheProjectionFollows() throws Exception {
    HttpResponse<String> r = f.post(f.adminKey, "/v1/sites/" + f.s1 + "/orders", order(60));

    assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
    JsonNode body = CommandFixture.json(r);
    assertThat(body.get("status").asText()).isEqualTo("accepted");
    String orderId = body.at("/resource/order_id").asText();
    assertThat(r.headers().firstValue(CommandSupport.EVENT_ID_HEADER)).hasValue(body.get("event_id").asText());
    f.awaitCount("the order projected", "SELECT count(*) FROM orders WHERE order_id = '" + orderId
        + "' AND issued_by LIKE 'admin:%' AND status = 'pending'", 1);
  }

  @Test
  void theApplianceAcknowledgesAndCompletesItsOrderAndOnlyItsOwn() throws Exception {
    String orderId = issue(3600);
    String base = "/v1/appliance/orders/" + orderId;

    // Another appliance of the same site, and a partner key: refused before anything is published.
    long before = CommandFixture.size(Topics.ORDER_EVENTS);
    assertThat(f.post(f.a1bKey, base + "/acknowledge", "").statusCode()).isEqualTo(404);
    assertThat(f.post(f.p1Key, base + "/acknowledge", "").statusCode()).isEqualTo(401);
    HttpResponse<String> early = f.post(f.a1Key, base + "/complete", "{}");
    assertThat(early.statusCode()).isEqualTo(409);
    assertThat(CommandFixture.json(early).get("detail").asText()).contains("acknowledge it before you complete it");
    assertThat(early.headers().firstValue("Content-Type")).hasValueSatisfying(
        v -> assertThat(v).startsWith("application/problem+json"));
    assertThat(CommandFixture.size(Topics.ORDER_EVENTS)).isEqualTo(before);

    HttpResponse<String> ack = f.post(f.a1Key, base + "/acknowledge?wait=true", "");
    assertThat(ack.statusCode()).as(ack.body()).isEqualTo(200);
    assertThat(CommandFixture.json(ack).at("/resource/status").asText()).isEqualTo("acknowledged");

    HttpResponse<String> done = f.post(f.a1Key, base + "/complete?wait=true", "{\"result\":{\"exit_code\":0}}");
    assertThat(done.statusCode()).as(done.body()).isEqualTo(200);
    assertThat(CommandFixture.json(done).at("/resource/status").asText()).isEqualTo("completed");
    assertThat(CommandFixture.json(done).at("/resource/result/exit_code").asInt()).isZero();

    long after = CommandFixture.size(Topics.ORDER_EVENTS);
    HttpResponse<String> again = f.post(f.a1Key, base + "/fail", "{\"error_message\":\"late\"}");
    assertThat(again.statusCode()).isEqualTo(409);
    assertThat(CommandFixture.json(again).get("detail").asText()).contains("is already completed");
    assertThat(CommandFixture.size(Topics.ORDER_EVENTS)).isEqualTo(after);
  }

  @Test
  void anotherTenantsSiteOrApplianceIs404AndNothingIsPublished() throws Exception {
    long before = CommandFixture.size(Topics.ORDER_EVENTS);

    // p2 at p1's site; p2 at its own site naming p1's appliance; p1 naming an appliance that does not exist.
    assertThat(f.post(f.p2Key, "/v1/sites/" + f.s1 + "/orders", order(60)).statusCode()).isEqualTo(404);
    HttpResponse<String> foreign = f.post(f.p2Key, "/v1/sites/" + f.s2 + "/orders", order(60));
    assertThat(foreign.statusCode()).isEqualTo(404);
    assertThat(CommandFixture.json(foreign).get("detail").asText()).doesNotContain("s1-");
    assertThat(f.post(f.p1Key, "/v1/sites/" + f.s1 + "/orders", order(60).replace(f.a1, "nope")).statusCode())
        .isEqualTo(404);
    // p2 clears p1's suppression, decides on p1's pattern, or on a fleet pattern (admin only).
    assertThat(f.post(f.p2Key, "/v1/sites/" + f.s1 + "/flap-suppressions/clear",
        "{\"hostname\":\"h\",\"incident_type\":\"backup\",\"reason\":\"r\"}").statusCode()).isEqualTo(404);
    assertThat(f.post(f.p2Key, "/v1/sites/" + f.s1 + "/patterns/0123456789abcdef/promotion",
        "{\"decision\":\"approve\"}").statusCode()).isEqualTo(404);
    assertThat(f.post(f.p1Key, "/v1/fleet/patterns/0123456789abcdef/promotion",
        "{\"decision\":\"approve\"}").statusCode()).isEqualTo(404);

    assertThat(CommandFixture.size(Topics.ORDER_EVENTS)).isEqualTo(before);
  }

  @Test
  void badInputIsAProblemNamingWhatIsWrongAndPublishesNothing() throws Exception {
    long before = CommandFixture.size(Topics.ORDER_EVENTS);
    String path = "/v1/sites/" + f.s1 + "/orders";

    assertProblem(f.post(f.p1Key, path, "{\"appliance_id\":"), 400, "not valid JSON");
    assertProblem(f.post(f.p1Key, path, order(60).replace("ttl_seconds", "ttl")), 400, "unknown field 'ttl'");
    assertProblem(f.post(f.p1Key, path, "{\"appliance_id\":\"" + f.a1 + "\",\"ttl_seconds\":60}"), 400,
        "missing field 'runbook_id'");
    assertProblem(f.post(f.p1Key, path, order(60).replace("{\"job\":\"nightly\"}", "[1]")), 400,
        "'parameters' must be a JSON object");
    assertProblem(f.post(f.p1Key, path + "?wait=maybe", order(60)), 400, "wait must be true or false");
    assertProblem(f.post(f.p1Key, path + "?force=1", order(60)), 400, "unknown query parameter 'force'");
    assertProblem(f.post(f.p1Key, path, order(0)), 422, "ttl_seconds must be positive");
    assertProblem(f.post(f.p1Key, path, order(-3)), 422, "ttl_seconds must be positive");
    assertProblem(f.post(f.p1Key, path, order(604_801)), 422, "at most 604800");
    assertProblem(f.post(f.p1Key, "/v1/sites/" + f.s1 + "/patterns/NOT-HEX/promotion", "{\"decision\":\"approve\"}"),
        400, "16 lowercase hex");
    assertProblem(f.post(null, path, order(60)), 401, "");

    assertThat(CommandFixture.size(Topics.ORDER_EVENTS)).isEqualTo(before);
  }

  @Test
  void aPendingOrderPastItsExpiryIsExpiredBeforeAndByTheSweep() throws Exception {
    String orderId = issue(60);
    f.clock.advance(Duration.ofSeconds(61));

    // Before any sweep: the pending read hides it and the appliance cannot acknowledge it.
    assertThat(f.get(f.a1Key, "/v1/appliance/orders").body()).doesNotContain(orderId);
    assertProblem(f.post(f.a1Key, "/v1/appliance/orders/" + orderId + "/acknowledge", ""), 409, "expired at");

    assertThat(f.commands.sweepExpiredOrders()).isGreaterThanOrEqualTo(1);
    f.awaitCount("the expiry projected",
        "SELECT count(*) FROM orders WHERE order_id = '" + orderId + "' AND status = 'expired'", 1);
    List<Envelope> expiries = CommandFixture.records(Topics.ORDER_EVENTS).stream()
        .map(r -> dev.ledger.events.EventSerde.deserialize(r.value()))
        .filter(e -> e.payload() instanceof OrderExpired x && x.orderId().equals(orderId)).toList();
    assertThat(expiries).hasSize(1);
    Instant expiresAt = f.jdbi.withHandle(h -> h.createQuery("SELECT expires_at FROM orders WHERE order_id = :id")
        .bind("id", orderId).mapTo(Instant.class).one());
    assertThat(expiries.get(0).occurredAt()).isEqualTo(expiresAt);
    assertThat(f.commands.sweepExpiredOrders()).as("nothing left to expire").isZero();
  }

  @Test
  void anOperatorClearsAnActiveFlapSuppressionOnceAndIsRecorded() throws Exception {
    Instant t = f.clock.instant();
    f.publish(Envelope.of(f.s1, f.a1, t, new FlapSuppressionRecorded("host-a1", "backup_failed", 3, 120,
        t.minusSeconds(3600), t.minusSeconds(60))));
    f.awaitCount("the suppression projected", "SELECT count(*) FROM flap_suppressions WHERE site_id = '" + f.s1
        + "' AND active", 1);
    String path = "/v1/sites/" + f.s1 + "/flap-suppressions/clear";
    String clear = "{\"hostname\":\"host-a1\",\"incident_type\":\"backup_failed\",\"reason\":\"disk replaced\"}";

    HttpResponse<String> r = f.post(f.p1Key, path + "?wait=true", clear);

    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    JsonNode resource = CommandFixture.json(r).get("resource");
    assertThat(resource.get("active").asBoolean()).isFalse();
    assertThat(resource.get("cleared_by").asText()).isEqualTo("partner:" + f.p1);
    assertThat(resource.get("clear_reason").asText()).isEqualTo("disk replaced");
    Envelope event = CommandFixture.withId(Topics.INCIDENT_EVENTS, CommandFixture.json(r).get("event_id").asText())
        .get(0).getValue();
    assertThat(event.payload()).isEqualTo(new FlapSuppressionCleared("host-a1", "backup_failed", "partner:" + f.p1,
        "disk replaced"));

    assertProblem(f.post(f.p1Key, path, clear), 409, "is not active");
    assertProblem(f.post(f.p1Key, path, clear.replace("host-a1", "host-zz")), 404, "no flap suppression");
    assertProblem(f.post(f.p1Key, path, "{\"hostname\":\"host-a1\",\"incident_type\":\"backup_failed\"}"), 400,
        "missing field 'reason'");
  }

  @Test
  void onlyACurrentCandidateIsApprovedAndTheDecisionIsProjected() throws Exception {
    String eligible = "e" + f.run.substring(0, 7) + "00000000".substring(0, 8);
    String notEligible = "f" + f.run.substring(0, 7) + "00000000".substring(0, 8);
    Instant t = f.clock.instant();
    f.publish(stats(f.s1, PatternScope.SITE, eligible, true, t), stats(f.s1, PatternScope.SITE, notEligible, false, t),
        stats(Envelope.FLEET_SITE_ID, PatternScope.FLEET, eligible, true, t));
    f.awaitCount("the stats projected", "SELECT count(*) FROM pattern_stats WHERE pattern_signature IN ('"
        + eligible + "', '" + notEligible + "')", 3);
    String site = "/v1/sites/" + f.s1 + "/patterns/";

    HttpResponse<String> approved = f.post(f.p1Key, site + eligible + "/promotion?wait=true",
        "{\"decision\":\"approve\",\"reason\":\"18 of 20 healed at L2\"}");

    assertThat(approved.statusCode()).as(approved.body()).isEqualTo(200);
    JsonNode resource = CommandFixture.json(approved).get("resource");
    assertThat(resource.get("decision").asText()).isEqualTo("approved");
    assertThat(resource.get("action").asText()).isEqualTo("restart_service");
    assertThat(resource.get("decided_by").asText()).isEqualTo("partner:" + f.p1);
    Map.Entry<String, Envelope> event = CommandFixture.withId(Topics.PROMOTION_EVENTS,
        CommandFixture.json(approved).get("event_id").asText()).get(0);
    assertThat(event.getKey()).isEqualTo(f.s1);
    assertThat(event.getValue().payload()).isEqualTo(new PromotionDecided(PatternScope.SITE, eligible,
        PromotionDecision.APPROVED, "restart_service", "partner:" + f.p1, "18 of 20 healed at L2"));

    long before = CommandFixture.size(Topics.PROMOTION_EVENTS);
    assertProblem(f.post(f.p1Key, site + eligible + "/promotion", "{\"decision\":\"approve\"}"), 409,
        "already approved");
    assertProblem(f.post(f.p1Key, site + notEligible + "/promotion", "{\"decision\":\"approve\"}"), 409,
        "not currently eligible");
    assertProblem(f.post(f.p1Key, site + "0000000000000000/promotion", "{\"decision\":\"approve\"}"), 404,
        "no pattern");
    assertProblem(f.post(f.p1Key, site + eligible + "/promotion", "{\"decision\":\"yes\"}"), 400,
        "must be one of [approve, reject]");
    assertThat(CommandFixture.size(Topics.PROMOTION_EVENTS)).isEqualTo(before);

    HttpResponse<String> revoked = f.post(f.p1Key, site + eligible + "/promotion?wait=true",
        "{\"decision\":\"reject\"}");
    assertThat(CommandFixture.json(revoked).at("/resource/decision").asText()).isEqualTo("rejected");
    HttpResponse<String> fleet = f.post(f.adminKey, "/v1/fleet/patterns/" + eligible + "/promotion?wait=true",
        "{\"decision\":\"approve\"}");
    assertThat(fleet.statusCode()).as(fleet.body()).isEqualTo(200);
    assertThat(f.count("SELECT count(*) FROM promotion_decisions WHERE pattern_signature = '" + eligible + "'"))
        .isEqualTo(2);
  }

  @Test
  void aWaitThatOutlivesTheProjectionIs504AndTheEventStaysOnTheLedger() throws Exception {
    // A second API over a database that no projector feeds: the event is published, never applied there.
    DataSource db = SharedInfra.postgres().newDatabase("api_commands_unprojected_" + f.run);
    Migrations.apply(db);
    String site = "lonely-" + f.run;
    try (Connection c = db.getConnection(); Statement s = c.createStatement()) {
      s.execute("INSERT INTO sites VALUES ('" + site + "', 'px', 'ox', 'Lonely', 'UTC', '2026-01-01Z')");
      s.execute("INSERT INTO appliances (appliance_id, site_id, hostname, public_key, registered_at) VALUES ('"
          + site + "-a', '" + site + "', 'h', 'AAAA', '2026-01-01Z')");
    }
    String admin = new ApiKeys(db).issueAdminKey("test", Instant.now()).key();
    try (HealthRegistry health = new HealthRegistry(Duration.ofSeconds(1));
        Commands commands = Commands.start(Commands.Settings.defaults(SharedInfra.kafka().bootstrapServers())
            .withSweepInterval(Duration.ZERO).withWaitTimeout(Duration.ofMillis(300)));
        ApiServer api = ApiServer.start("127.0.0.1", 0, health, CommandFixture.JSON, ApiConfig.of(db)
            .withClock(Clock.system(ZoneOffset.UTC)).withModules(List.of(commands)))) {
      HttpResponse<String> r = f.postTo(api.port(), admin, "/v1/sites/" + site + "/orders?wait=true",
          "{\"appliance_id\":\"" + site + "-a\",\"runbook_id\":\"RB-1\",\"ttl_seconds\":60}");

      assertProblem(r, 504, "is on the ledger but the orders projection did not apply it");
      String eventId = r.headers().firstValue(CommandSupport.EVENT_ID_HEADER).orElseThrow();
      assertThat(CommandFixture.json(r).get("detail").asText()).contains(eventId);
      assertThat(CommandFixture.withId(Topics.ORDER_EVENTS, eventId)).hasSize(1);
    }
  }

  private static Envelope stats(String site, PatternScope scope, String sig, boolean eligible, Instant t) {
    return Envelope.of(site, null, t, new PatternStatsChanged(scope, sig, 20, 0, 18, 0, 18, 9_000, t,
        "restart_service", 1, eligible));
  }

  private String issue(int ttl) throws Exception {
    HttpResponse<String> r = f.post(f.p1Key, "/v1/sites/" + f.s1 + "/orders?wait=true", order(ttl));
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return CommandFixture.json(r).at("/resource/order_id").asText();
  }

  private static void assertProblem(HttpResponse<String> r, int status, String detail) throws Exception {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
    assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
    assertThat(CommandFixture.json(r).get("detail").asText()).contains(detail);
  }
}
