package dev.ledger.api.commands;

import dev.ledger.api.ApiException;
import dev.ledger.api.auth.Caller;
import dev.ledger.api.auth.Tenancy;
import dev.ledger.api.http.Params;
import dev.ledger.api.reads.PatternReads.FlapSuppression;
import dev.ledger.events.Envelope;
import dev.ledger.events.FlapSuppressionCleared;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/**
 * An operator clears an active flap suppression of (site, host, incident type), saying why: a
 * {@code flap_suppression.cleared} event naming the caller, projected into {@code flap_suppressions}.
 */
final class FlapCommands {
  private static final String SUPPRESSION = """
      SELECT site_id, hostname, incident_type, heal_count, window_minutes, first_heal_at, last_heal_at,
             suppressed_at, cleared_at, cleared_by, clear_reason, active
      FROM flap_suppressions WHERE site_id = :site AND hostname = :host AND incident_type = :type""";

  private final CommandSupport c;

  FlapCommands(CommandSupport support) {
    this.c = support;
  }

  void register(RoutesConfig routes) {
    routes.post("/v1/sites/{siteId}/flap-suppressions/clear", this::clear);
  }

  private void clear(Context ctx) {
    Caller caller = Caller.of(ctx);
    boolean wait = CommandSupport.waitParam(ctx);
    String siteId = Params.path(ctx, "siteId");
    Body body = Body.parse(ctx.bodyAsBytes(), "hostname", "incident_type", "reason");
    String hostname = body.text("hostname");
    String incidentType = body.id("incident_type");
    String reason = body.text("reason");
    FlapSuppression current = c.store.read(caller, h -> {
      Tenancy.requireSite(h, caller, siteId);
      return find(h, siteId, hostname, incidentType).orElseThrow(() -> new ApiException.NotFound(
          "no flap suppression of " + incidentType + " on " + hostname + " at site " + siteId));
    });
    if (!current.active()) {
      throw new ApiException.Conflict("the flap suppression of " + incidentType + " on " + hostname
          + " is not active: cleared at " + current.clearedAt() + " by " + current.clearedBy());
    }
    Envelope event = Envelope.of(siteId, null, c.clock.instant(),
        new FlapSuppressionCleared(hostname, incidentType, caller.actor(), reason));
    c.publish(ctx, wait, event, AppliedWait.INCIDENTS,
        Map.of("site_id", siteId, "hostname", hostname, "incident_type", incidentType),
        () -> c.store.read(caller, h -> find(h, siteId, hostname, incidentType).orElseThrow()));
  }

  private static Optional<FlapSuppression> find(Handle h, String siteId, String hostname, String incidentType) {
    return h.createQuery(SUPPRESSION).bind("site", siteId).bind("host", hostname).bind("type", incidentType)
        .mapTo(FlapSuppression.class).findOne();
  }
}
