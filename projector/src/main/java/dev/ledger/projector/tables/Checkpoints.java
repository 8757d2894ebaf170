package dev.ledger.projector.tables;

import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.PreparedBatch;

/**
 * The projector's position per (projection, topic, partition) in {@code projector_offsets}, written in the same
 * transaction as the rows. Each write names the offset the writer believes is stored; if another process moved
 * it meanwhile (a consumer that lost its partition but is still writing), the write matches no row, the
 * transaction is rolled back and the writer re-reads: two processes never both apply the same records.
 */
final class Checkpoints {
  /** Stored by nobody yet. */
  static final long NONE = -1;

  private static final String SAVE = """
      INSERT INTO projector_offsets AS o (projection, topic, partition, next_offset) VALUES (?, ?, ?, ?)
      ON CONFLICT (projection, topic, partition) DO UPDATE SET next_offset = EXCLUDED.next_offset, updated_at = now()
      WHERE o.next_offset = ?""";

  private Checkpoints() {
  }

  /** Another process advanced a partition this one was writing. */
  static final class FencedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    FencedException(String message) {
      super(message);
    }
  }

  static Map<TopicPartition, Long> read(Handle handle, String projection) {
    Map<TopicPartition, Long> stored = new HashMap<>();
    handle.createQuery("SELECT topic, partition, next_offset FROM projector_offsets WHERE projection = ?")
        .bind(0, projection)
        .map((rs, ctx) -> Map.entry(new TopicPartition(rs.getString(1), rs.getInt(2)), rs.getLong(3)))
        .forEach(e -> stored.put(e.getKey(), e.getValue()));
    return stored;
  }

  /**
   * Stores {@code next} for each partition, provided {@code expected} (or {@link #NONE}) is what is stored now.
   *
   * @throws FencedException if any partition moved under this writer
   */
  static void save(Handle handle, String projection, Map<TopicPartition, Long> next,
      Map<TopicPartition, Long> expected) {
    PreparedBatch batch = handle.prepareBatch(SAVE);
    for (Map.Entry<TopicPartition, Long> e : next.entrySet()) {
      long was = expected.getOrDefault(e.getKey(), NONE);
      batch.bind(0, projection).bind(1, e.getKey().topic()).bind(2, e.getKey().partition())
          .bind(3, e.getValue()).bind(4, was).add();
    }
    int[] counts = batch.execute();
    for (int count : counts) {
      if (count != 1) {
        throw new FencedException(projection + ": another process moved a partition's offset " + next.keySet());
      }
    }
  }
}
