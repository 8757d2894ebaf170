package dev.ledger.bridge;

import dev.ledger.events.LedgerEvent;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * What a {@link WriteOp} works with on the writer thread: the {@link Store}, the appliance identity that signs
 * emitted events into the outbox, and caches of pattern stats and active suppressions that a rollback discards.
 */
final class Writer implements AutoCloseable {
  private static final int STATS_CACHE_SIZE = 4_096;

  /** A flap key: (site, host, incident type). */
  record FlapKey(String siteId, String hostId, String incidentType) {
  }

  private final Store store;
  private final Identity identity;
  private final Clock clock;
  private final Map<String, Store.StoredStats> stats = new LinkedHashMap<>(256, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Store.StoredStats> eldest) {
      return size() > STATS_CACHE_SIZE && !dirty.contains(eldest.getKey());
    }
  };
  private final Set<FlapKey> suppressed = new HashSet<>();
  private final Set<String> dirty = new java.util.LinkedHashSet<>();

  Writer(Store store, Identity identity, Clock clock) throws SQLException {
    this.store = store;
    this.identity = identity;
    this.clock = clock;
    loadSuppressions();
  }

  Store store() {
    return store;
  }

  Identity identity() {
    return identity;
  }

  Instant now() {
    return clock.instant();
  }

  /** Writes the event of this appliance to the outbox in the current transaction (the relay signs it). */
  Outgoing emit(LedgerEvent event, Instant occurredAt) throws SQLException {
    Outgoing out = identity.unsigned(event, occurredAt);
    store.insertOutbox(out, now());
    return out;
  }

  Store.StoredStats stats(String signature) throws SQLException {
    Store.StoredStats cached = stats.get(signature);
    if (cached == null) {
      cached = store.findStats(signature);
      stats.put(signature, cached);
    }
    return cached;
  }

  /** Keeps the new stats; they are written once per group, just before COMMIT. */
  void saveStats(Store.StoredStats updated) {
    stats.put(updated.stats().patternSignature(), updated);
    dirty.add(updated.stats().patternSignature());
  }

  boolean isSuppressed(FlapKey key) {
    return suppressed.contains(key);
  }

  void markSuppressed(FlapKey key, boolean active) {
    if (active) {
      suppressed.add(key);
    } else {
      suppressed.remove(key);
    }
  }

  void commit() throws SQLException {
    for (String signature : dirty) {
      store.saveStats(stats.get(signature));
    }
    dirty.clear();
    store.connection().commit();
  }

  /** Rolls the transaction back and forgets the caches, which may hold its uncommitted changes. */
  void rollback() {
    try {
      store.connection().rollback();
      stats.clear();
      dirty.clear();
      loadSuppressions();
    } catch (SQLException e) {
      throw new IllegalStateException("cannot roll back the agent database: " + e.getMessage(), e);
    }
  }

  private void loadSuppressions() throws SQLException {
    suppressed.clear();
    try (PreparedStatement p = store.connection().prepareStatement(
        "SELECT site_id, host_id, incident_type FROM flap_suppressions WHERE cleared_at IS NULL");
        ResultSet rs = p.executeQuery()) {
      while (rs.next()) {
        suppressed.add(new FlapKey(rs.getString(1), rs.getString(2), rs.getString(3)));
      }
    }
    store.connection().commit();
  }

  @Override
  public void close() throws SQLException {
    store.close();
  }
}
