package dev.ledger.projector.tables;

import static dev.ledger.projector.tables.OrderedStatements.text;

import dev.ledger.events.Envelope;
import dev.ledger.events.IncidentDetected;
import dev.ledger.events.IncidentEscalated;
import dev.ledger.events.IncidentResolved;
import dev.ledger.events.InvalidEventException;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;
import org.jdbi.v3.core.statement.Update;
import org.postgresql.PGConnection;

/**
 * A batch of incident life-cycle events folded into the rows they produce, giving the same rows as applying the
 * events one by one. Per incident: its first detection in the batch, the net effect of all its resolutions and
 * escalations in event order, and the net effect of those after that detection. Incidents the table does not hold
 * yet are written once, already in their final state (the detection merged with what followed it); incidents it
 * holds get one update with the net effect (a detection of an existing incident changes nothing: the first wins).
 * New rows go in with COPY when there are many (cheaper for PostgreSQL than a multi-row insert), else one insert
 * over arrays; updates are one statement over arrays. New incidents left open that a passing check already
 * projected matches are then resolved by it ({@link IncidentChecks}).
 */
final class IncidentBatch {
  /** From this many new incidents on, COPY instead of an insert over arrays. */
  static final int COPY_FROM = 200;
  private static final String INSERT = Sql.load("insert-incidents");
  private static final String UPDATE = Sql.load("update-incidents");
  private static final String EXISTING = "SELECT incident_id FROM incidents WHERE incident_id = ANY(CAST(? AS text[]))";
  static final String[] COLUMNS = {"incident_id", "site_id", "appliance_id", "hostname", "incident_type", "severity",
      "check_type", "drift_type", "service_name", "error_message", "pattern_signature", "raw_data", "detected_at",
      "status", "resolution_level", "resolution_action", "outcome", "resolution_time_ms", "resolved_at",
      "escalated_at", "last_event_id"};
  private static final String COPY = "COPY incidents (" + String.join(", ", COLUMNS) + ") FROM STDIN";
  private final Map<String, Incident> incidents = new LinkedHashMap<>();

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

  /** What the batch does to one incident. */
  private static final class Incident {
    /** The first detection's columns, {@link #COLUMNS} up to detected_at, then the event id; null if none. */
    String[] detection;
    /** Every resolution and escalation of the batch; null if none. */
    Patch all;
    /** Those after the first detection; null if none. */
    Patch afterDetection;
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
    String eventId = text(e.eventId());
    if (e.payload() instanceof IncidentDetected d) {
      Incident i = incidents.computeIfAbsent(d.incidentId(), id -> new Incident());
      if (i.detection == null) {
        i.detection = new String[] {d.incidentId(), e.siteId(), e.applianceId(), d.hostname(), d.incidentType(),
            d.severity(), d.checkType(), d.driftType(), d.serviceName(), d.errorMessage(), d.patternSignature(),
            text(d.rawData()), at, eventId};
      }
    } else if (e.payload() instanceof IncidentResolved r) {
      for (Patch p : patches(r.incidentId())) {
        p.status = "resolved";
        p.level = r.level().wire();
        p.resolvedSet = true;
        p.action = r.action();
        p.outcome = r.outcome().wire();
        p.timeMs = text(r.resolutionTimeMs());
        p.resolvedAt = at;
        p.lastEventId = eventId;
      }
    } else if (e.payload() instanceof IncidentEscalated x) {
      for (Patch p : patches(x.incidentId())) {
        p.status = "escalated";
        p.level = x.toLevel().wire();
        p.escalatedAt = at;
        p.lastEventId = eventId;
      }
    } else {
      throw new InvalidEventException("type", e.type() + " is not an incident event");
    }
  }

  /** The patches a resolution or escalation of {@code id} changes: all, and after-detection once detected. */
  private List<Patch> patches(String id) {
    Incident i = incidents.computeIfAbsent(id, k -> new Incident());
    if (i.all == null) {
      i.all = new Patch();
    }
    if (i.detection == null) {
      return List.of(i.all);
    }
    if (i.afterDetection == null) {
      i.afterDetection = new Patch();
    }
    return List.of(i.all, i.afterDetection);
  }

  void write(Handle handle) {
    List<String> detectedIds = new ArrayList<>();
    incidents.forEach((id, i) -> {
      if (i.detection != null) {
        detectedIds.add(id);
      }
    });
    Set<String> existing = new HashSet<>();
    if (!detectedIds.isEmpty()) {
      handle.createQuery(EXISTING).bindArray(0, String.class, detectedIds).mapTo(String.class)
          .forEach(existing::add);
    }
    List<String[]> fresh = new ArrayList<>();
    List<String[]> updates = new ArrayList<>();
    incidents.forEach((id, i) -> {
      if (i.detection != null && !existing.contains(id)) {
        fresh.add(row(i.detection, i.afterDetection));
      } else if (i.all != null) {
        Patch p = i.all;
        updates.add(new String[] {id, p.status, p.level, Boolean.toString(p.resolvedSet), p.action, p.outcome,
            p.timeMs, p.resolvedAt, p.escalatedAt, p.lastEventId});
      }
    });
    if (fresh.size() >= COPY_FROM) {
      copy(handle, fresh);
    } else if (!fresh.isEmpty()) {
      bindColumns(handle.createUpdate(INSERT), COLUMNS, fresh).execute();
    }
    List<String> checkable = new ArrayList<>();
    for (String[] row : fresh) {
      if (row[6] != null && "open".equals(row[13])) {
        checkable.add(row[0]);
      }
    }
    IncidentChecks.resolveInserted(handle, checkable);
    if (!updates.isEmpty()) {
      String[] names = {"id", "status", "level", "rset", "action", "outcome", "ms", "resolved", "escalated", "eid"};
      bindColumns(handle.createUpdate(UPDATE), names, updates).execute();
    }
  }

  /** A new incident's row ({@link #COLUMNS}): its detection, then what followed it in the batch, if anything. */
  private static String[] row(String[] detection, Patch after) {
    String[] row = new String[COLUMNS.length];
    System.arraycopy(detection, 0, row, 0, 13);
    row[13] = "open";
    row[20] = detection[13];
    if (after != null) {
      row[13] = after.status;
      row[14] = after.level;
      if (after.resolvedSet) {
        row[15] = after.action;
        row[16] = after.outcome;
        row[17] = after.timeMs;
        row[18] = after.resolvedAt;
      }
      row[19] = after.escalatedAt;
      row[20] = after.lastEventId;
    }
    return row;
  }

  /**
   * COPY of new rows straight into incidents. Only this partition's owner writes these incidents, and the lookup
   * ran in this transaction; should another writer have inserted one meanwhile, the unique violation rejects the
   * batch and the projector retries it event by event.
   */
  private static void copy(Handle handle, List<String[]> rows) {
    StringBuilder text = new StringBuilder(rows.size() * 400);
    for (String[] row : rows) {
      for (int c = 0; c < row.length; c++) {
        if (c > 0) {
          text.append('\t');
        }
        appendCopyText(text, row[c]);
      }
      text.append('\n');
    }
    try {
      handle.getConnection().unwrap(PGConnection.class).getCopyAPI().copyIn(COPY, new StringReader(text.toString()));
    } catch (SQLException e) {
      throw new UnableToExecuteStatementException(e, null);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** One value in COPY's text format: {@code \N} for null, backslash escapes for the separators. */
  static void appendCopyText(StringBuilder out, String value) {
    if (value == null) {
      out.append("\\N");
      return;
    }
    for (int k = 0; k < value.length(); k++) {
      char ch = value.charAt(k);
      switch (ch) {
        case '\\' -> out.append("\\\\");
        case '\t' -> out.append("\\t");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        default -> out.append(ch);
      }
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
