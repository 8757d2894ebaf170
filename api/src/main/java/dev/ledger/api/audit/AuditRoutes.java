package dev.ledger.api.audit;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ledger.api.ApiContext;
import dev.ledger.api.ApiException;
import dev.ledger.api.RouteModule;
import dev.ledger.api.audit.EvidenceLogStore.PositionLookup;
import dev.ledger.api.audit.EvidenceLogStore.StoredCheckpoint;
import dev.ledger.api.auth.Caller;
import dev.ledger.api.auth.Tenancy;
import dev.ledger.events.EvidenceLogCheckpointed;
import dev.ledger.events.merkle.EvidenceLog;
import dev.ledger.events.merkle.SignedNote.VerifierKey;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/**
 * The auditors' routes over the per-site evidence logs ({@link EvidenceLog}), tenant-scoped like every read:
 * <ul>
 *   <li>{@code GET /v1/sites/{siteId}/evidence-log}: the log's size and its latest signed checkpoint;</li>
 *   <li>{@code GET /v1/sites/{siteId}/evidence/{bundleId}/inclusion[?tree_size=N]}: the inclusion proof of a
 *       bundle against a signed checkpoint (by default the smallest that covers it);</li>
 *   <li>{@code GET /v1/sites/{siteId}/evidence-log/inclusion[?position=P][&tree_size=N]}: the same by chain
 *       position (by default the last leaf of the latest checkpoint);</li>
 *   <li>{@code GET /v1/sites/{siteId}/evidence-log/consistency[?from=M][&to=N]}: the consistency proof between
 *       two checkpoints (by default from the first to the latest);</li>
 *   <li>{@code POST /v1/audit/checkpoints} (admin key): sign checkpoints of every grown log now (503 when this
 *       API runs without a checkpointer).</li>
 * </ul>
 * Every proof comes with the signed note it is checked against and the ledger's verifier key, so a client
 * verifies it with the RFC 9162 algorithms without trusting this API. Hashes are lowercase hex.
 */
public final class AuditRoutes implements RouteModule {
  private static final HexFormat HEX = HexFormat.of();
  private final Checkpointer checkpointer;
  private final VerifierKey verifier;
  /** Its text form, made once: making it re-derives the key's point (a sixth of a proof's handler time in a JFR). */
  private final String verifierText;

  /** Routes signing with this checkpointer (and verifying with its key); proofs are read from the database. */
  public AuditRoutes(Checkpointer checkpointer) {
    this(checkpointer.key().verifier(), checkpointer);
  }

  /** Read-only routes when {@code checkpointer} is null: proofs are served, on-demand checkpoints answer 503. */
  public AuditRoutes(VerifierKey verifier, Checkpointer checkpointer) {
    this.verifier = verifier;
    this.verifierText = verifier.text();
    this.checkpointer = checkpointer;
  }

  @Override
  public void register(RoutesConfig routes, ApiContext api) {
    routes.get("/v1/sites/{siteId}/evidence-log", ctx -> log(ctx, api));
    routes.get("/v1/sites/{siteId}/evidence/{bundleId}/inclusion", ctx -> inclusion(ctx, api,
        ctx.pathParam("bundleId")));
    routes.get("/v1/sites/{siteId}/evidence-log/inclusion", ctx -> inclusion(ctx, api, null));
    routes.get("/v1/sites/{siteId}/evidence-log/consistency", ctx -> consistency(ctx, api));
    routes.post("/v1/audit/checkpoints", ctx -> checkpoint(ctx, api));
  }

  private void log(Context ctx, ApiContext api) {
    Caller caller = Caller.of(ctx);
    String site = ctx.pathParam("siteId");
    ObjectNode body = api.reads().read(caller, h -> {
      Tenancy.requireSite(h, caller, site);
      ObjectNode out = api.json().createObjectNode();
      out.put("site_id", site);
      out.put("origin", EvidenceLog.origin(verifier.name(), site));
      out.put("tree_size", EvidenceLogStore.head(h, site).map(EvidenceLogStore.Head::treeSize).orElse(0L));
      Optional<StoredCheckpoint> latest = EvidenceLogStore.latestCheckpoint(h, site);
      out.set("latest_checkpoint", latest.map(c -> checkpointJson(api, c)).orElse(null));
      out.put("verifier_key", verifierText);
      return out;
    });
    ctx.json(body);
  }

  private void inclusion(Context ctx, ApiContext api, String bundleId) {
    Caller caller = Caller.of(ctx);
    String site = ctx.pathParam("siteId");
    Long position = bundleId == null ? longParam(ctx, "position") : null;
    Long treeSize = longParam(ctx, "tree_size");
    if (position != null && position < 1) {
      throw new ApiException.BadRequest("position counts from 1, was " + position);
    }
    ObjectNode body = api.reads().read(caller, h -> {
      Link link;
      StoredCheckpoint checkpoint;
      if (position != null && treeSize == null) {
        // The common request, in one round trip: site, bundle and the smallest checkpoint covering it.
        PositionLookup found = EvidenceLogStore.positionLookup(h, site, position)
            .filter(l -> Tenancy.maySee(caller, l.site()))
            .orElseThrow(() -> new ApiException.NotFound("no site " + site));
        link = found.bundleId() == null ? new Link(null, position, null, null)
            : new Link(found.bundleId(), position, found.bundleHash(), found.prevHash());
        checkpoint = found.checkpoint().orElseThrow(() -> new ApiException.Conflict(
            "no signed checkpoint of site " + site + " covers position " + position + " yet"));
      } else {
        Tenancy.requireSite(h, caller, site);
        link = bundleId != null ? linkOf(h, site, bundleId) : linkAt(h, site, position != null ? position
            : EvidenceLogStore.latestCheckpoint(h, site).map(StoredCheckpoint::treeSize).filter(n -> n > 0)
                .orElseThrow(() -> new ApiException.NotFound("site " + site + " has no checkpoint yet")));
        checkpoint = treeSize == null
            ? EvidenceLogStore.checkpointCovering(h, site, link.position()).orElseThrow(() ->
                new ApiException.Conflict("no signed checkpoint of site " + site + " covers position "
                    + link.position() + " yet"))
            : EvidenceLogStore.checkpoint(h, site, treeSize).orElseThrow(() -> new ApiException.NotFound(
                "no checkpoint of site " + site + " at tree size " + treeSize));
      }
      if (checkpoint.treeSize() < link.position()) {
        throw new ApiException.BadRequest("position " + link.position() + " is outside the checkpoint at tree size "
            + checkpoint.treeSize());
      }
      long index = EvidenceLog.leafIndex(link.position());
      EvidenceLogStore.Inclusion inclusion;
      try {
        inclusion = EvidenceLogStore.inclusionWithLeaf(h, site, index, checkpoint.treeSize());
      } catch (EvidenceLogStore.MissingNodeException e) {
        throw new ApiException.Conflict("the evidence log of site " + site + " is still being projected: "
            + e.getMessage());
      }
      ObjectNode out = api.json().createObjectNode();
      out.put("site_id", site);
      out.put("bundle_id", link.bundleId());
      out.put("chain_position", link.position());
      out.put("leaf_index", index);
      if (link.bundleHash() != null) {
        out.put("leaf_data", new String(EvidenceLog.leafData(link.bundleHash(), link.prevHash(), link.position()),
            StandardCharsets.UTF_8));
      }
      out.put("leaf_hash", HEX.formatHex(inclusion.leafHash()));
      out.put("tree_size", checkpoint.treeSize());
      out.set("proof", hexes(api, inclusion.proof()));
      out.set("checkpoint", checkpointJson(api, checkpoint));
      return out;
    });
    ctx.json(body);
  }

  private void consistency(Context ctx, ApiContext api) {
    Caller caller = Caller.of(ctx);
    String site = ctx.pathParam("siteId");
    Long from = longParam(ctx, "from");
    Long to = longParam(ctx, "to");
    ObjectNode body = api.reads().read(caller, h -> {
      Tenancy.requireSite(h, caller, site);
      StoredCheckpoint first = (from == null ? EvidenceLogStore.firstCheckpoint(h, site)
          : EvidenceLogStore.checkpoint(h, site, from)).orElseThrow(() -> new ApiException.NotFound(
              from == null ? "site " + site + " has no checkpoint yet"
                  : "no checkpoint of site " + site + " at tree size " + from));
      StoredCheckpoint second = (to == null ? EvidenceLogStore.latestCheckpoint(h, site)
          : EvidenceLogStore.checkpoint(h, site, to)).orElseThrow(() ->
          new ApiException.NotFound("no checkpoint of site " + site + " at tree size " + to));
      if (second.treeSize() < first.treeSize()) {
        throw new ApiException.BadRequest("to (" + second.treeSize() + ") is smaller than from ("
            + first.treeSize() + ")");
      }
      ObjectNode out = api.json().createObjectNode();
      out.put("site_id", site);
      out.put("from", first.treeSize());
      out.put("to", second.treeSize());
      out.set("proof", hexes(api, EvidenceLogStore.consistency(h, site, first.treeSize(), second.treeSize())));
      out.set("from_checkpoint", checkpointJson(api, first));
      out.set("to_checkpoint", checkpointJson(api, second));
      return out;
    });
    ctx.json(body);
  }

  private void checkpoint(Context ctx, ApiContext api) {
    Caller caller = Caller.of(ctx);
    if (!caller.isAdmin()) {
      throw new ApiException.NotFound("no route for POST " + ctx.path());
    }
    if (checkpointer == null) {
      throw new Unavailable("this API instance does not sign checkpoints; run 'ledger audit checkpoint'");
    }
    List<EvidenceLogCheckpointed> made;
    try {
      made = checkpointer.checkpoint(ctx.queryParam("site_id"));
    } catch (Checkpointer.CheckpointUnavailable e) {
      throw new Unavailable(e.getMessage());
    } catch (Checkpointer.ForkException e) {
      throw new ApiException.Conflict(e.getMessage());
    }
    ObjectNode out = api.json().createObjectNode();
    ArrayNode list = out.putArray("checkpoints");
    for (EvidenceLogCheckpointed c : made) {
      list.addObject().put("origin", c.origin()).put("tree_size", c.treeSize()).put("root_hash", c.rootHash())
          .put("note", c.note());
    }
    out.put("verifier_key", verifierText);
    ctx.json(out);
  }

  /** The bundle a proof is about: its position and the hashes its leaf is made of (null if not projected). */
  private record Link(String bundleId, long position, String bundleHash, String prevHash) {
  }

  private static Link linkOf(Handle h, String site, String bundleId) {
    return h.createQuery("SELECT bundle_id, chain_position, bundle_hash, prev_hash FROM evidence_bundles "
            + "WHERE site_id = ? AND bundle_id = ?")
        .bind(0, site).bind(1, bundleId)
        .map((rs, c) -> new Link(rs.getString(1), rs.getLong(2), rs.getString(3), rs.getString(4)))
        .findOne().orElseThrow(() -> new ApiException.NotFound("no bundle " + bundleId + " at site " + site));
  }

  private static Link linkAt(Handle h, String site, long position) {
    return h.createQuery("SELECT bundle_id, chain_position, bundle_hash, prev_hash FROM evidence_bundles "
            + "WHERE site_id = ? AND chain_position = ?")
        .bind(0, site).bind(1, position)
        .map((rs, c) -> new Link(rs.getString(1), rs.getLong(2), rs.getString(3), rs.getString(4)))
        .findOne().orElse(new Link(null, position, null, null));
  }

  private ObjectNode checkpointJson(ApiContext api, StoredCheckpoint c) {
    ObjectNode out = api.json().createObjectNode();
    out.put("origin", c.origin());
    out.put("tree_size", c.treeSize());
    out.put("root_hash", HEX.formatHex(c.rootHash()));
    out.put("note", c.note());
    out.put("signed_at", c.signedAt().toString());
    out.put("verifier_key", verifierText);
    return out;
  }

  private static ArrayNode hexes(ApiContext api, List<byte[]> hashes) {
    ArrayNode out = api.json().createArrayNode();
    hashes.forEach(hash -> out.add(HEX.formatHex(hash)));
    return out;
  }

  private static Long longParam(Context ctx, String name) {
    String text = ctx.queryParam(name);
    if (text == null) {
      return null;
    }
    try {
      long value = Long.parseLong(text);
      if (value < 0) {
        throw new ApiException.BadRequest(name + " must not be negative, was " + text);
      }
      return value;
    } catch (NumberFormatException e) {
      throw new ApiException.BadRequest(name + " must be a whole number, was " + text);
    }
  }

  /** 503: Kafka did not take the checkpoint in time. */
  static final class Unavailable extends ApiException {
    Unavailable(String detail) {
      super(503, "Service Unavailable", detail);
    }
  }
}
