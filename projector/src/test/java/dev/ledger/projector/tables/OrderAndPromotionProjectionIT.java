package dev.ledger.projector.tables;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ledger.events.Envelope;
import dev.ledger.events.OrderExpired;
import dev.ledger.events.OrderFailed;
import dev.ledger.events.PatternScope;
import dev.ledger.events.PromotionDecided;
import dev.ledger.events.PromotionDecision;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The order life cycle when events come late or twice, and promotion decisions (latest per key stands). */
class OrderAndPromotionProjectionIT {
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final Instant T0 = Instant.parse("2026-11-01T10:00:00Z");
  private static final Instant EXPIRES = T0.plusSeconds(600);

  @Test
  void lateAcknowledgementsEarlyExpiriesAndSkippedStepsChangeNothing() {
    try (Infra infra = Infra.create("proj_order_rules", 2)) {
      String t = infra.topics.orders();
      infra.send(t,
          // ord-late: the appliance acknowledges after expires_at: stays pending, then the sweep expires it.
          Events.orderIssued("s1", "ord-late", "a1", T0, EXPIRES),
          Events.orderAcknowledged("s1", "ord-late", EXPIRES.plusSeconds(1)),
          expired("s1", "ord-late", EXPIRES),
          // ord-early: an expiry that claims to come before expires_at is ignored; the ack in time counts, and the
          // real expiry afterwards cannot undo it.
          Events.orderIssued("s1", "ord-early", "a1", T0, EXPIRES),
          expired("s1", "ord-early", EXPIRES.minusSeconds(1)),
          Events.orderAcknowledged("s1", "ord-early", T0.plusSeconds(5)),
          expired("s1", "ord-early", EXPIRES),
          // ord-skip: completing or failing a pending order skips acknowledged: ignored.
          Events.orderIssued("s1", "ord-skip", "a1", T0, EXPIRES),
          Events.orderCompleted("s1", "ord-skip", T0.plusSeconds(2)),
          Envelope.of("s1", "a1", T0.plusSeconds(3), new OrderFailed("ord-skip", "boom")),
          // ord-done: completed, then a late failure and an expiry change nothing.
          Events.orderIssued("s1", "ord-done", "a1", T0, EXPIRES),
          Events.orderAcknowledged("s1", "ord-done", T0.plusSeconds(1)),
          Events.orderCompleted("s1", "ord-done", T0.plusSeconds(2)),
          Envelope.of("s1", "a1", T0.plusSeconds(3), new OrderFailed("ord-done", "too late")),
          expired("s1", "ord-done", EXPIRES),
          Events.orderIssued("s1", "ord-last", "a1", T0, EXPIRES)); // marks the end of the batch

      try (Projectors ignored = Projectors.start(infra.settings().withProjections(List.of("orders")))) {
        Infra.await("orders projected", WAIT, () -> infra.count("SELECT count(*) FROM orders") == 5);
      }
      Map<String, String> status = infra.jdbi.withHandle(h -> h.createQuery(
          "SELECT order_id, status FROM orders").setMapKeyColumn("order_id").setMapValueColumn("status")
          .collectInto(new org.jdbi.v3.core.generic.GenericType<Map<String, String>>() { }));
      assertThat(status).containsExactlyInAnyOrderEntriesOf(Map.of("ord-late", "expired",
          "ord-early", "acknowledged", "ord-skip", "pending", "ord-done", "completed", "ord-last", "pending"));
      assertThat(infra.count("SELECT count(*) FROM orders WHERE order_id = 'ord-done' AND error_message IS NULL"))
          .isEqualTo(1);
    }
  }

  @Test
  void theLatestDecisionPerPatternStandsAndFleetDecisionsHaveNoSite() {
    try (Infra infra = Infra.create("proj_promotions", 2)) {
      String t = infra.topics.promotions();
      String sig = Events.signature("backup");
      infra.send(t,
          decided("s1", PatternScope.SITE, sig, PromotionDecision.APPROVED, T0),
          decided("s1", PatternScope.SITE, sig, PromotionDecision.REJECTED, T0.plusSeconds(5)),
          decided("s2", PatternScope.SITE, sig, PromotionDecision.APPROVED, T0),
          decided(Envelope.FLEET_SITE_ID, PatternScope.FLEET, sig, PromotionDecision.APPROVED, T0),
          // A site-scoped decision under the fleet key contradicts itself: dead-lettered, nothing written.
          decided(Envelope.FLEET_SITE_ID, PatternScope.SITE, sig, PromotionDecision.APPROVED, T0));

      try (Projectors projectors = Projectors.start(infra.settings().withProjections(List.of("promotions")))) {
        Infra.await("decisions projected", WAIT, () -> infra.count("SELECT count(*) FROM promotion_decisions") == 3
            && projectors.deadLetterCount() == 1);
      }
      assertThat(infra.count("SELECT count(*) FROM promotion_decisions WHERE scope = 'site' AND site_id = 's1' "
          + "AND decision = 'rejected' AND decided_at = '" + T0.plusSeconds(5) + "'")).isEqualTo(1);
      assertThat(infra.count("SELECT count(*) FROM promotion_decisions WHERE scope = 'fleet' AND site_id = '' "
          + "AND decision = 'approved' AND action = 'restart' AND decided_by = 'alice'")).isEqualTo(1);
    }
  }

  private static Envelope expired(String site, String orderId, Instant at) {
    return Envelope.of(site, null, at, new OrderExpired(orderId));
  }

  private static Envelope decided(String site, PatternScope scope, String sig, PromotionDecision decision,
      Instant at) {
    return Envelope.of(site, null, at, new PromotionDecided(scope, sig, decision, "restart", "alice", "why"));
  }
}
