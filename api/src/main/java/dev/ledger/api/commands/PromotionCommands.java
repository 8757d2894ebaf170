package dev.ledger.api.commands;

import dev.ledger.api.ApiException;
import dev.ledger.api.auth.Caller;
import dev.ledger.api.auth.Tenancy;
import dev.ledger.api.http.Params;
import dev.ledger.events.Envelope;
import dev.ledger.events.PatternScope;
import dev.ledger.events.PromotionDecided;
import dev.ledger.events.PromotionDecision;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.jdbi.v3.core.Handle;

/**
 * A human approves or rejects a promotion candidate: per site (the site's partner or the admin), or fleet-wide
 * (the admin only: fleet rows aggregate every tenant). Checked against {@link PromotionRules} on the projected
 * statistics and the standing decision, then a {@code promotion.decided} event, projected into
 * {@code promotion_decisions}.
 */
final class PromotionCommands {
  private static final Pattern SIGNATURE = Pattern.compile("[0-9a-f]{16}");
  private static final Map<String, PromotionDecision> DECISIONS =
      Map.of("approve", PromotionDecision.APPROVED, "reject", PromotionDecision.REJECTED);
  private static final String STATS = """
      SELECT promotion_eligible, last_successful_action FROM pattern_stats
      WHERE scope = :scope AND site_id = :site AND pattern_signature = :signature""";
  private static final String DECISION = """
      SELECT scope, site_id, pattern_signature, decision, action, decided_by, reason, decided_at, event_id
      FROM promotion_decisions WHERE scope = :scope AND site_id = :site AND pattern_signature = :signature""";

  private final CommandSupport c;

  PromotionCommands(CommandSupport support) {
    this.c = support;
  }

  void register(RoutesConfig routes) {
    routes.post("/v1/sites/{siteId}/patterns/{signature}/promotion", ctx -> decide(ctx, PatternScope.SITE));
    routes.post("/v1/fleet/patterns/{signature}/promotion", ctx -> decide(ctx, PatternScope.FLEET));
  }

  private record Stats(boolean eligible, String action) {
  }

  private void decide(Context ctx, PatternScope scope) {
    Caller caller = Caller.of(ctx);
    boolean wait = CommandSupport.waitParam(ctx);
    String siteId = scope == PatternScope.SITE ? Params.path(ctx, "siteId") : "";
    String signature = Params.path(ctx, "signature");
    if (!SIGNATURE.matcher(signature).matches()) {
      throw new ApiException.BadRequest("signature must be 16 lowercase hex characters, got '" + signature + "'");
    }
    Body body = Body.parse(ctx.bodyAsBytes(), "decision", "reason");
    PromotionDecision wanted = DECISIONS.get(body.oneOf("decision", Set.copyOf(DECISIONS.keySet())));
    String reason = body.optionalText("reason");
    String where = scope == PatternScope.SITE ? "site " + siteId : "the fleet";
    if (scope == PatternScope.FLEET && !caller.isAdmin()) {
      throw new ApiException.NotFound("no pattern " + signature + " in " + where);
    }
    Stats stats = c.store.read(caller, h -> {
      if (scope == PatternScope.SITE) {
        Tenancy.requireSite(h, caller, siteId);
      }
      Stats found = h.createQuery(STATS).bind("scope", scope.wire()).bind("site", siteId)
          .bind("signature", signature)
          .map((rs, x) -> new Stats(rs.getBoolean("promotion_eligible"), rs.getString("last_successful_action")))
          .findOne().orElseThrow(() -> new ApiException.NotFound("no pattern " + signature + " in " + where));
      PromotionDecision current = find(h, scope, siteId, signature)
          .map(d -> PromotionDecision.fromWire(d.decision())).orElse(null);
      PromotionRules.conflict(signature, wanted, found.eligible(), found.action(), current).ifPresent(problem -> {
        throw new ApiException.Conflict(problem);
      });
      return found;
    });
    String key = scope == PatternScope.SITE ? siteId : Envelope.FLEET_SITE_ID;
    Envelope event = Envelope.of(key, null, c.clock.instant(),
        new PromotionDecided(scope, signature, wanted, stats.action(), caller.actor(), reason));
    c.publish(ctx, wait, event, AppliedWait.PROMOTIONS,
        Map.of("scope", scope.wire(), "site_id", siteId, "pattern_signature", signature, "decision",
            wanted.wire()),
        () -> c.store.read(caller, h -> find(h, scope, siteId, signature).orElseThrow()));
  }

  private static Optional<PromotionDecisionView> find(Handle h, PatternScope scope, String siteId,
      String signature) {
    return h.createQuery(DECISION).bind("scope", scope.wire()).bind("site", siteId).bind("signature", signature)
        .mapTo(PromotionDecisionView.class).findOne();
  }
}
