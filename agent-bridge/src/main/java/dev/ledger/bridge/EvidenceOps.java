package dev.ledger.bridge;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ledger.events.EvidenceSubmitted;
import dev.ledger.events.IncidentDetected;
import dev.ledger.events.rules.IncidentIds;
import dev.ledger.events.rules.PatternSignature;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The offline evidence queue as writer ops: a bounded queue of signed bundles (a full queue refuses the bundle and
 * raises one flood alert incident per episode), acknowledgement, and failed attempts that back off
 * {@code min(2^retry_count, 60)} units until the retry cap parks the bundle as dead.
 */
final class EvidenceOps {
  static final String FLOOD_TYPE = "evidence_queue_full";

  /** The outcome of a submission: queued, or refused because the queue is full. */
  record Submitted(boolean queued, long waiting) {
  }

  private EvidenceOps() {
  }

  static WriteOp<Submitted> submit(EvidenceSubmitted bundle, Outgoing sealed, int capacity) {
    return w -> {
      long waiting = w.store().count("SELECT count(*) FROM queued_evidence WHERE status = 'queued'");
      if (waiting >= capacity) {
        raiseFloodAlertOnce(w, waiting, capacity);
        return new Submitted(false, waiting);
      }
      Instant now = w.now();
      w.store().update("INSERT INTO queued_evidence (event_id, bundle_id, site_id, checked_at, topic, msg_key,"
          + " envelope, next_retry_at, created_at) VALUES (?,?,?,?,?,?,?,?,?)", sealed.eventId().toString(),
          bundle.bundleId(), w.identity().siteId(), Times.text(bundle.checkedAt()), sealed.topic(), sealed.key(),
          sealed.bytes(), Times.text(now), Times.text(now));
      w.store().update("DELETE FROM bridge_meta WHERE key = 'flood_alerted'");
      return new Submitted(true, waiting + 1);
    };
  }

  /** One flood alert per episode: re-armed once a bundle fits in the queue again. */
  private static void raiseFloodAlertOnce(Writer w, long waiting, int capacity) throws SQLException {
    if (w.store().count("SELECT count(*) FROM bridge_meta WHERE key = 'flood_alerted'") > 0) {
      return;
    }
    Instant now = w.now();
    String error = "evidence queue full: " + waiting + " bundles waiting, capacity " + capacity;
    ObjectNode raw = JsonNodeFactory.instance.objectNode().put("waiting", waiting).put("capacity", capacity);
    IncidentDetected alert = new IncidentDetected(IncidentIds.next(now), w.identity().applianceId(), FLOOD_TYPE,
        "critical", null, null, "agent-bridge", error,
        PatternSignature.of(FLOOD_TYPE, null, null, "agent-bridge", error), raw);
    IncidentOps.record(alert, w.identity().unsigned(alert, now), raw.toString(), now).apply(w);
    w.store().update("INSERT INTO bridge_meta (key, value) VALUES ('flood_alerted', ?)", Times.text(now));
  }

  /** The broker acknowledged these bundles: they leave the queue. */
  static WriteOp<Integer> acknowledged(List<Long> ids) {
    return w -> {
      int n = 0;
      for (Long id : ids) {
        n += w.store().update("DELETE FROM queued_evidence WHERE id = ?", id);
      }
      return n;
    };
  }

  /** An attempt failed: back off, or park as dead at the retry cap (visible, never retried silently). */
  static WriteOp<Boolean> failed(long id, int retryCount, String error, int retryCap, Duration unit) {
    return w -> {
      int next = retryCount + 1;
      boolean dead = next >= retryCap;
      Instant at = w.now().plus(Backoff.delay(retryCount, unit));
      w.store().update("UPDATE queued_evidence SET retry_count = ?, next_retry_at = ?, last_error = ?, status = ?"
          + " WHERE id = ?", next, Times.text(at), error, dead ? "dead" : "queued", id);
      return dead;
    };
  }
}
