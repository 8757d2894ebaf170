package dev.ledger.api.reads;

import com.fasterxml.jackson.annotation.JsonRawValue;
import dev.ledger.api.ApiException;
import dev.ledger.api.auth.Caller;
import dev.ledger.api.auth.Tenancy;
import dev.ledger.api.db.ReadStore;
import dev.ledger.api.http.Page;
import dev.ledger.api.http.Params;
import dev.ledger.events.rules.ComplianceScoreQuery;
import dev.ledger.events.rules.ComplianceScoring;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.jdbi.v3.core.Handle;

/**
 * Evidence bundles of a site in chain order with their chain fields (what an auditor re-hashes), and the
 * compliance score of a site or a client organisation now and at the end of each of the last days
 * ({@link ComplianceScoring}, computed by {@link ComplianceScoreQuery}: the one formula).
 */
public final class EvidenceReads {
  static final int MAX_DAYS = 90;
  private static final String COLUMNS = """
      bundle_id, site_id, appliance_id, checked_at, received_at, bundle_hash, chain_position, prev_hash,
      chain_hash, signature, hipaa_controls::text AS hipaa_controls, event_id""";

  private final ReadStore store;
  private final Clock clock;

  public EvidenceReads(ReadStore store, Clock clock) {
    this.store = store;
    this.clock = clock;
  }

  /** One link of a site's evidence chain; {@code bundle} is the signed bundle's JSON, as sent. */
  public record Bundle(String bundleId, String siteId, String applianceId, Instant checkedAt, Instant receivedAt,
      String bundleHash, long chainPosition, String prevHash, String chainHash, String signature,
      @JsonRawValue String hipaaControls, java.util.UUID eventId, @JsonRawValue String bundle) {
  }

  /** One point of a score: at an instant, passed of total, percent null when there is no data. */
  public record ScorePoint(Instant asOf, long passed, long total, Double percent, String display) {
    static ScorePoint of(Instant asOf, ComplianceScoring.Score score) {
      return new ScorePoint(asOf, score.passed(), score.total(),
          score.percent().isPresent() ? score.percent().getAsDouble() : null, score.display());
    }
  }

  /** A score now and at the end of each of the last {@code days} UTC days, oldest first. */
  public record Compliance(String subject, List<String> siteIds, ScorePoint current, List<ScorePoint> history) {
  }

  public void register(RoutesConfig routes) {
    routes.get("/v1/sites/{siteId}/evidence", this::list);
    routes.get("/v1/sites/{siteId}/evidence/{bundleId}", this::one);
    routes.get("/v1/sites/{siteId}/compliance", this::siteCompliance);
    routes.get("/v1/client-orgs/{clientOrgId}/compliance", this::orgCompliance);
  }

  private void list(Context ctx) {
    Caller caller = Caller.of(ctx);
    Params p = Params.of(ctx, "from", "to", "after", "limit", "with_bundle");
    String siteId = Params.path(ctx, "siteId");
    Instant from = p.instant("from");
    Instant to = p.instant("to");
    Params.requireOrder(from, to);
    int after = p.integer("after", 0, 0, Integer.MAX_VALUE);
    int limit = p.limit();
    boolean withBundle = Boolean.TRUE.equals(p.bool("with_bundle"));
    List<Bundle> rows = store.siteRows(caller, siteId,
        "SELECT " + COLUMNS + (withBundle ? ", bundle::text AS bundle" : ", NULL AS bundle") + """
             FROM evidence_bundles
            WHERE site_id = :site AND chain_position > :after
              AND (CAST(:from AS timestamptz) IS NULL OR checked_at >= :from)
              AND (CAST(:to AS timestamptz) IS NULL OR checked_at < :to)
            ORDER BY chain_position LIMIT :limit""",
        q -> q.bind("after", after).bind("from", from).bind("to", to).bind("limit", limit + 1), Bundle.class);
    String next = null;
    if (rows.size() > limit) {
      rows = List.copyOf(rows.subList(0, limit));
      next = Long.toString(rows.get(limit - 1).chainPosition());
    }
    ctx.json(new Page<>(rows, limit, null, next));
  }

  private void one(Context ctx) {
    Caller caller = Caller.of(ctx);
    Params.of(ctx);
    String siteId = Params.path(ctx, "siteId");
    String bundleId = Params.path(ctx, "bundleId");
    ctx.json(store.read(caller, h -> {
      Tenancy.requireSite(h, caller, siteId);
      return h.createQuery("SELECT " + COLUMNS + ", bundle::text AS bundle FROM evidence_bundles "
              + "WHERE site_id = :site AND bundle_id = :id")
          .bind("site", siteId).bind("id", bundleId).mapTo(Bundle.class).findOne()
          .orElseThrow(() -> new ApiException.NotFound("no evidence bundle " + bundleId + " at site " + siteId));
    }));
  }

  private void siteCompliance(Context ctx) {
    Caller caller = Caller.of(ctx);
    Params p = Params.of(ctx, "days");
    String siteId = Params.path(ctx, "siteId");
    int days = p.integer("days", 30, 0, MAX_DAYS);
    Instant now = clock.instant();
    ctx.json(store.read(caller, h -> {
      Tenancy.requireSite(h, caller, siteId);
      return compliance(h, siteId, List.of(siteId), now, days);
    }));
  }

  private void orgCompliance(Context ctx) {
    Caller caller = Caller.of(ctx);
    Params p = Params.of(ctx, "days");
    String orgId = Params.path(ctx, "clientOrgId");
    int days = p.integer("days", 30, 0, MAX_DAYS);
    Instant now = clock.instant();
    ctx.json(store.read(caller, h -> compliance(h, orgId, Tenancy.requireClientOrg(h, caller, orgId), now, days)));
  }

  static Compliance compliance(Handle h, String subject, List<String> sites, Instant now, int days) {
    try {
      ScorePoint current = ScorePoint.of(now, ComplianceScoreQuery.sites(h.getConnection(), sites, now));
      List<ScorePoint> history = new ArrayList<>(days);
      LocalDate today = LocalDate.ofInstant(now, ZoneOffset.UTC);
      for (int d = days; d >= 1; d--) {
        // The end of day d days ago: the last instant of that UTC day.
        Instant asOf = today.minusDays(d - 1L).atStartOfDay(ZoneOffset.UTC).toInstant().minusNanos(1000);
        history.add(ScorePoint.of(asOf, ComplianceScoreQuery.sites(h.getConnection(), sites, asOf)));
      }
      return new Compliance(subject, sites, current, history);
    } catch (SQLException e) {
      throw new IllegalStateException("compliance score of " + subject + ": " + e.getMessage(), e);
    }
  }
}
