package dev.ledger.projector.tables;

import static dev.ledger.projector.tables.OrderedStatements.text;

import dev.ledger.events.Envelope;
import dev.ledger.events.IncidentDetected;
import dev.ledger.events.IncidentEscalated;
import dev.ledger.events.IncidentResolved;
import dev.ledger.events.InvalidEventException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.Update;

/**
 * A batch of incident life-cycle events folded into the rows they produce: new incidents (inserted once, the
 * first detection wins) and, per incident, the net effect of its resolutions and escalations in event order.
 * Writing the fold gives the same rows as applying the events one by one.
 */
final class IncidentBatch {
  private static final String INSERT = Sql.load("insert-incidents");
  private static final String UPDATE = Sql.load("update-incidents");
  private final List<String[]> detected = new ArrayList<>();
  private final Set<String> detectedIds = new HashSet<>();
  private final Map<String, Patch> patches = new LinkedHashMap<>();

  /** The net change of one incident: the last status, and the fields the last resolve/escalate set. */
  private static final class Patch {
    String status;
    String level;
    boolean resolvedSet;
    String action;
    String outcome;
    String timeMs;
    String resolvedAt;
    String escalatedAt;
    String lastEventId;
  }

  static IncidentBatch fold(List<Envelope> events) {
    IncidentBatch batch = new IncidentBatch();
    for (Envelope e : events) {
      batch.add(e);
    }
    return batch;
  }

  private void add(Envelope e) {
    String at = text(e.occurredAt());
    if (e.payload() instanceof IncidentDetected d) {
      if (detectedIds.add(d.incidentId())) {
        detected.add(new String[] {d.incidentId(), e.siteId(), e.applianceId(), d.hostname(), d.incidentType(),
            d.severity(), d.checkType(), d.driftType(), d.serviceName(), d.errorMessage(), d.patternSignature(),
            text(d.rawData()), at, text(e.eventId())});
      }
    } else if (e.payload() instanceof IncidentResolved r) {
      Patch p = patches.computeIfAbsent(r.incidentId(), id -> new Patch());
      p.status = "resolved";
      p.level = r.level().wire();
      p.resolvedSet = true;
      p.action = r.action();
      p.outcome = r.outcome().wire();
      p.timeMs = text(r.resolutionTimeMs());
      p.resolvedAt = at;
      p.lastEventId = text(e.eventId());
    } else if (e.payload() instanceof IncidentEscalated x) {
      Patch p = patches.computeIfAbsent(x.incidentId(), id -> new Patch());
      p.status = "escalated";
      p.level = x.toLevel().wire();
      p.escalatedAt = at;
      p.lastEventId = text(e.eventId());
    } else {
      throw new InvalidEventException("type", e.type() + " is not an incident event");
    }
  }

  void write(Handle handle) {
    if (!detected.isEmpty()) {
      String[] names = {"id", "site", "appliance", "host", "itype", "severity", "ctype", "dtype", "service",
          "error", "signature", "raw", "at", "eid"};
      bindColumns(handle.createUpdate(INSERT), names, detected)
          .execute();
    }
    if (!patches.isEmpty()) {
      List<String[]> rows = new ArrayList<>(patches.size());
      patches.forEach((id, p) -> rows.add(new String[] {id, p.status, p.level, Boolean.toString(p.resolvedSet),
          p.action, p.outcome, p.timeMs, p.resolvedAt, p.escalatedAt, p.lastEventId}));
      String[] names = {"id", "status", "level", "rset", "action", "outcome", "ms", "resolved", "escalated", "eid"};
      bindColumns(handle.createUpdate(UPDATE), names, rows).execute();
    }
  }

  /** Binds column {@code i} of the rows as the text array {@code names[i]}. */
  static Update bindColumns(Update update, String[] names, List<String[]> rows) {
    for (int c = 0; c < names.length; c++) {
      String[] column = new String[rows.size()];
      for (int r = 0; r < column.length; r++) {
        column[r] = rows.get(r)[c];
      }
      update.bindArray(names[c], String.class, (Object[]) column);
    }
    return update;
  }
}
