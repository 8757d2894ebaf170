package dev.ledger.projector.tables;

import static dev.ledger.projector.tables.OrderedStatements.text;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.ledger.events.CheckStatus;
import dev.ledger.events.Envelope;
import dev.ledger.events.EventSerde;
import dev.ledger.events.EvidenceCheck;
import dev.ledger.events.EvidenceSealed;
import dev.ledger.events.EvidenceSubmitted;
import dev.ledger.events.InvalidEventException;
import dev.ledger.events.rules.ComplianceScoring;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.jdbi.v3.core.Handle;

/**
 * compliance_snapshots and evidence_bundles from the evidence topic and the sealed evidence chain. Each check
 * of a submitted bundle is one snapshot row. A bundle row needs both the submission (bundle, signature,
 * appliance) and its sealed link (position and hashes); whichever arrives first waits in a staging table (V7),
 * and after every batch the links of the touched sites that have both halves move to evidence_bundles in chain
 * order, stopping at the first link still missing its submission (the chain's foreign key needs no gaps).
 * A passing check resolves the matching open incidents ({@link IncidentChecks}).
 */
final class EvidenceProjection implements Projection {
  static final String NAME = "evidence";

  private static final String SNAPSHOT = """
      INSERT INTO compliance_snapshots (site_id, check_type, hostname, checked_at, status, bundle_id, hipaa_control)
      VALUES (?, ?, ?, ?::timestamptz, ?, ?, ?)
      ON CONFLICT (site_id, check_type, hostname, checked_at) DO NOTHING""";
  private static final String SUBMISSION = """
      INSERT INTO evidence_submissions (event_id, site_id, appliance_id, bundle_id, checked_at, bundle, signature,
        hipaa_controls)
      VALUES (?::uuid, ?, ?, ?, ?::timestamptz, ?::jsonb, ?, ?::jsonb)
      ON CONFLICT (event_id) DO NOTHING""";
  private static final String SEAL = """
      INSERT INTO evidence_seals (site_id, chain_position, evidence_event_id, bundle_hash, prev_hash, chain_hash,
        received_at)
      VALUES (?, ?::bigint, ?::uuid, ?, ?, ?, ?::timestamptz)
      ON CONFLICT (site_id, chain_position) DO NOTHING""";
  private static final String PROMOTE = Sql.load("promote-evidence");
  private static final String CLEAN = Sql.load("clean-evidence-staging");

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public List<String> topics(ProjectorTopics topics) {
    return List.of(topics.evidence(), topics.sealedEvidence());
  }

  @Override
  public void apply(Handle handle, List<Incoming> events, WriteMode mode) {
    IncidentChecks.lockSites(handle, sitesWithPasses(events));
    OrderedStatements sql = new OrderedStatements(handle, mode);
    Set<String> sites = new TreeSet<>();
    List<String[]> passes = new ArrayList<>();
    for (Incoming in : events) {
      Envelope e = in.envelope();
      if (e.payload() instanceof EvidenceSubmitted bundle) {
        submitted(sql, e, bundle, passes);
      } else if (e.payload() instanceof EvidenceSealed s) {
        sql.add(SEAL, e.siteId(), text(s.chainPosition()), text(s.evidenceEventId()), s.bundleHash(),
            s.prevHash(), s.chainHash(), text(in.timestamp()));
      } else {
        throw new InvalidEventException("type", e.type() + " is not an evidence event");
      }
      sites.add(e.siteId());
      if (mode == WriteMode.NAIVE) {
        resolve(sql, passes);
        promote(sql, sites);
      }
    }
    resolve(sql, passes);
    promote(sql, sites);
  }

  /** The sites of the bundles with a passing check: those whose open incidents this batch may resolve. */
  private static Set<String> sitesWithPasses(List<Incoming> events) {
    Set<String> sites = new HashSet<>();
    for (Incoming in : events) {
      if (in.envelope().payload() instanceof EvidenceSubmitted bundle
          && bundle.checks().stream().anyMatch(c -> c.status() == CheckStatus.PASS)) {
        sites.add(in.envelope().siteId());
      }
    }
    return sites;
  }

  /** Each passing check resolves the matching open incidents (after the snapshots, as one batch). */
  private static void resolve(OrderedStatements sql, List<String[]> passes) {
    for (String[] pass : passes) {
      sql.add(IncidentChecks.PASSED, pass);
    }
    sql.flush();
    passes.clear();
  }

  private static void submitted(OrderedStatements sql, Envelope e, EvidenceSubmitted bundle, List<String[]> passes) {
    String host = e.applianceId() == null ? "" : e.applianceId();
    Set<String> controls = new LinkedHashSet<>();
    String at = text(bundle.checkedAt());
    for (EvidenceCheck check : bundle.checks()) {
      String checkHost = ComplianceScoring.host(check, e.applianceId());
      sql.add(SNAPSHOT, e.siteId(), check.checkType(), checkHost, at, check.status().wire(), bundle.bundleId(),
          check.hipaaControl());
      if (check.status() == CheckStatus.PASS) {
        passes.add(new String[] {at, bundle.bundleId(), e.siteId(), check.checkType(), checkHost, at, at});
      }
      if (check.hipaaControl() != null) {
        controls.add(check.hipaaControl());
      }
    }
    ArrayNode hipaa = EventSerde.mapper().createArrayNode();
    controls.forEach(hipaa::add);
    sql.add(SUBMISSION, text(e.eventId()), e.siteId(), host, bundle.bundleId(), text(bundle.checkedAt()),
        json(bundle), e.signature() == null ? "" : e.signature(), hipaa.toString());
  }

  private static void promote(OrderedStatements sql, Set<String> sites) {
    for (String site : sites) {
      sql.add(PROMOTE, site, site, site, site);
    }
    for (String site : sites) {
      sql.add(CLEAN, site);
    }
    sql.flush();
    sites.clear();
  }

  private static String json(EvidenceSubmitted bundle) {
    try {
      return EventSerde.mapper().writeValueAsString(bundle);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write bundle " + bundle.bundleId(), e);
    }
  }
}
