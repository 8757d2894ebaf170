package dev.ledger.projector.tables;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;
import org.postgresql.PGConnection;

/**
 * Duplicate detection on event_id in {@code projector_applied_events}. The offsets stored with the rows already
 * stop Kafka redelivery from applying anything twice; these ids catch the other duplicates, an event resent by
 * its producer (an agent retrying after a lost acknowledgement) and stored again at a later offset. Those
 * resends happen within hours, so ids older than the retention are pruned: the table stays about one
 * retention's worth of events instead of growing with the whole ledger.
 *
 * <p>Small batches insert with {@code ON CONFLICT DO NOTHING}. Large ones look the ids up first and COPY the new
 * ones, about twice as cheap for PostgreSQL; a resend of the same event in another partition, being recorded by
 * another process at the same moment, then fails the COPY with a unique violation, and the projector retries the
 * batch event by event, through the small path.
 */
final class AppliedEvents {
  /** From this many ids on, look up and COPY instead of a conflict-checking insert. */
  static final int COPY_FROM = 200;
  private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9_.-]+");
  private static final String RECORD = """
      INSERT INTO projector_applied_events (projection, event_id)
      SELECT ?, unnest(CAST(? AS uuid[]))
      ON CONFLICT (projection, event_id) DO NOTHING
      RETURNING event_id""";
  private static final String SEEN = """
      SELECT event_id FROM projector_applied_events
      WHERE projection = ? AND event_id = ANY(CAST(? AS uuid[]))""";

  private AppliedEvents() {
  }

  /** Records the ids as applied and returns those that were not recorded before. */
  static Set<UUID> recordNew(Handle handle, String projection, List<UUID> ids) {
    if (ids.isEmpty()) {
      return new HashSet<>();
    }
    if (ids.size() < COPY_FROM || !PLAIN.matcher(projection).matches()) {
      Set<UUID> fresh = new HashSet<>(ids.size() * 2);
      handle.createQuery(RECORD)
          .bind(0, projection)
          .bindArray(1, UUID.class, ids)
          .mapTo(UUID.class)
          .forEach(fresh::add);
      return fresh;
    }
    Set<UUID> fresh = new LinkedHashSet<>(ids);
    handle.createQuery(SEEN)
        .bind(0, projection)
        .bindArray(1, UUID.class, ids)
        .mapTo(UUID.class)
        .forEach(fresh::remove);
    if (!fresh.isEmpty()) {
      copy(handle, projection, fresh);
    }
    return fresh;
  }

  private static void copy(Handle handle, String projection, Set<UUID> ids) {
    StringBuilder rows = new StringBuilder(ids.size() * (projection.length() + 38));
    for (UUID id : ids) {
      rows.append(projection).append('\t').append(id).append('\n');
    }
    try {
      handle.getConnection().unwrap(PGConnection.class).getCopyAPI().copyIn(
          "COPY projector_applied_events (projection, event_id) FROM STDIN", new StringReader(rows.toString()));
    } catch (SQLException e) {
      throw new UnableToExecuteStatementException(e, null);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Deletes ids applied longer ago than {@code retention}; returns how many. */
  static int prune(Handle handle, String projection, Duration retention) {
    return handle.createUpdate("""
        DELETE FROM projector_applied_events
        WHERE projection = ? AND applied_at < now() - make_interval(secs => ?)""")
        .bind(0, projection)
        .bind(1, (double) retention.toSeconds())
        .execute();
  }
}
