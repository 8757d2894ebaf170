package dev.ledger.projector.tables;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.jdbi.v3.core.Handle;

/**
 * Duplicate detection on event_id in {@code projector_applied_events}. The offsets stored with the rows already
 * stop Kafka redelivery from applying anything twice; these ids catch the other duplicates, an event resent by
 * its producer (an agent retrying after a lost acknowledgement) and stored again at a later offset. Those
 * resends happen within hours, so ids older than the retention are pruned: the table stays about one
 * retention's worth of events instead of growing with the whole ledger.
 */
final class AppliedEvents {
  private static final String RECORD = """
      INSERT INTO projector_applied_events (projection, event_id)
      SELECT ?, unnest(CAST(? AS uuid[]))
      ON CONFLICT (projection, event_id) DO NOTHING
      RETURNING event_id""";

  private AppliedEvents() {
  }

  /** Records the ids as applied and returns those that were not recorded before. */
  static Set<UUID> recordNew(Handle handle, String projection, List<UUID> ids) {
    if (ids.isEmpty()) {
      return Set.of();
    }
    Set<UUID> fresh = new HashSet<>(ids.size() * 2);
    handle.createQuery(RECORD)
        .bind(0, projection)
        .bindArray(1, UUID.class, ids)
        .mapTo(UUID.class)
        .forEach(fresh::add);
    return fresh;
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
