package dev.ledger.projector.tables;

import static dev.ledger.projector.tables.OrderedStatements.text;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.ledger.events.Envelope;
import dev.ledger.events.EventSerde;
import dev.ledger.events.EvidenceCheck;
import dev.ledger.events.EvidenceSealed;
import dev.ledger.events.EvidenceSubmitted;
import dev.ledger.events.InvalidEventException;
import dev.ledger.events.rules.ComplianceScoring;
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
    OrderedStatements sql = new OrderedStatements(handle, mode);
    Set<String> sites = new TreeSet<>();
    for (Incoming in : events) {
      Envelope e = in.envelope();
      if (e.payload() instanceof EvidenceSubmitted bundle) {
        submitted(sql, e, bundle);
      } else if (e.payload() instanceof EvidenceSealed s) {
        sql.add(SEAL, e.siteId(), text(s.chainPosition()), text(s.evidenceEventId()), s.bundleHash(),
            s.prevHash(), s.chainHash(), text(in.timestamp()));
      } else {
        throw new InvalidEventException("type", e.type() + " is not an evidence event");
      }
      sites.add(e.siteId());
      if (mode == WriteMode.NAIVE) {
        promote(sql, sites);
      }
    }
    promote(sql, sites);
  }

  private static void submitted(OrderedStatements sql, Envelope e, EvidenceSubmitted bundle) {
    String host = e.applianceId() == null ? "" : e.applianceId();
    Set<String> controls = new LinkedHashSet<>();
    for (EvidenceCheck check : bundle.checks()) {
      sql.add(SNAPSHOT, e.siteId(), check.checkType(), ComplianceScoring.host(check, e.applianceId()),
          text(bundle.checkedAt()), check.status().wire(), bundle.bundleId(), check.hipaaControl());
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
