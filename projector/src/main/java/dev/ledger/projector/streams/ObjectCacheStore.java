package dev.ledger.projector.streams;

import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.StateStoreContext;
import org.apache.kafka.streams.query.Position;
import org.apache.kafka.streams.query.PositionBound;
import org.apache.kafka.streams.query.Query;
import org.apache.kafka.streams.query.QueryConfig;
import org.apache.kafka.streams.query.QueryResult;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.internals.CacheFlushListener;
import org.apache.kafka.streams.state.internals.CachedStateStore;

/**
 * A persistent, changelogged key-value store with a cache of <em>objects</em> in front: reads of a cached key and
 * every write cost a hash-map operation, and each changed key is serialized into the store (RocksDB and its
 * changelog) once per commit instead of once per update.
 *
 * <p>Kafka Streams' own record cache keeps serialized bytes, so each {@code get} and {@code put} of the pattern-stats
 * processors paid a deserialization or a serialization and the metered layers' bookkeeping: about a third of the
 * stream threads' time in the pattern-stats benchmark (JFR). This store holds the values as the processors use them
 * and writes the changed ones down in {@link #flushCache}, which the task's state manager calls on every
 * {@link CachedStateStore} before it flushes the producer and commits the transaction: under exactly-once the
 * changelog records of a commit interval still commit atomically with the input offsets that produced them. A dirty
 * close ({@link #close}) or {@link #clearCache} drops the objects; the store is restored from its changelog as
 * before. The serialized form, the store name and the changelog topic are those of a plain
 * {@code Stores.keyValueStoreBuilder} store, so an app upgraded to this store restores its existing state.
 *
 * <p>{@link CachedStateStore} is an internal Kafka Streams interface (pinned version); {@code ObjectCacheStoreTest}
 * and the exactly-once integration tests hold its contract. The store is for its stream thread alone: range reads,
 * {@code approximateNumEntries} and interactive queries write the changes down first, which is safe only on that
 * thread (the app serves no interactive queries).
 */
final class ObjectCacheStore<V> implements KeyValueStore<String, V>, CachedStateStore<String, V> {
  /** Marks a key deleted since the last flush (the store below still has it). */
  private static final Object DELETED = new Object();

  private final KeyValueStore<String, V> inner;
  private final int maxEntries;
  /** Values read or written since the last eviction: V, or {@link #DELETED}. */
  private final Map<String, Object> cache = new HashMap<>();
  /** Keys changed since the last flush, in the order they first changed. */
  private final Set<String> dirty = new LinkedHashSet<>();

  ObjectCacheStore(KeyValueStore<String, V> inner, int maxEntries) {
    this.inner = inner;
    this.maxEntries = maxEntries;
  }

  /** A builder of such a store named {@code name}, persistent, with values in {@code serde}. */
  static <V> StoreBuilder<ObjectCacheStore<V>> builder(String name, Serde<V> serde, int maxEntries) {
    return new Builder<>(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(name), Serdes.String(), serde)
        .withCachingDisabled(), maxEntries);
  }

  @Override
  public V get(String key) {
    Objects.requireNonNull(key, "key");
    Object cached = cache.get(key);
    if (cached == DELETED) {
      return null;
    }
    if (cached != null) {
      return cast(cached);
    }
    V stored = inner.get(key);
    if (stored != null) {
      cache.put(key, stored);
      evictIfFull();
    }
    return stored;
  }

  @Override
  public void put(String key, V value) {
    Objects.requireNonNull(key, "key");
    if (value == null) {
      delete(key);
      return;
    }
    cache.put(key, value);
    dirty.add(key);
    evictIfFull();
  }

  @Override
  public V putIfAbsent(String key, V value) {
    V old = get(key);
    if (old == null) {
      put(key, value);
    }
    return old;
  }

  @Override
  public void putAll(List<KeyValue<String, V>> entries) {
    entries.forEach(e -> put(e.key, e.value));
  }

  @Override
  public V delete(String key) {
    Objects.requireNonNull(key, "key");
    V old = get(key);
    cache.put(key, DELETED);
    dirty.add(key);
    return old;
  }

  /** Writes every changed value down into the store below (and so to its changelog). */
  @Override
  public void flushCache() {
    for (String key : dirty) {
      Object value = cache.get(key);
      if (value == DELETED) {
        inner.delete(key);
        cache.remove(key);
      } else {
        inner.put(key, cast(value));
      }
    }
    dirty.clear();
  }

  /** Forgets the objects, changed or not (the task is closing dirty or being recycled). */
  @Override
  public void clearCache() {
    cache.clear();
    dirty.clear();
  }

  @Override
  public boolean setFlushListener(CacheFlushListener<String, V> listener, boolean sendOldValues) {
    return false; // nothing downstream listens to this store's evictions
  }

  // Range reads see the store below after a flush: a restart, the recency sweep (a minute), the fleet drain (1 s).
  @Override
  public KeyValueIterator<String, V> range(String from, String to) {
    flushCache();
    return inner.range(from, to);
  }

  @Override
  public KeyValueIterator<String, V> reverseRange(String from, String to) {
    flushCache();
    return inner.reverseRange(from, to);
  }

  @Override
  public KeyValueIterator<String, V> all() {
    flushCache();
    return inner.all();
  }

  @Override
  public KeyValueIterator<String, V> reverseAll() {
    flushCache();
    return inner.reverseAll();
  }

  @Override
  public <PS extends Serializer<P>, P> KeyValueIterator<String, V> prefixScan(P prefix, PS prefixKeySerializer) {
    flushCache();
    return inner.prefixScan(prefix, prefixKeySerializer);
  }

  @Override
  public long approximateNumEntries() {
    flushCache();
    return inner.approximateNumEntries();
  }

  @Override
  public String name() {
    return inner.name();
  }

  @Override
  public void init(StateStoreContext context, StateStore root) {
    clearCache();
    inner.init(context, root);
  }

  @Override
  public void flush() {
    flushCache();
    inner.flush();
  }

  @Override
  public void commit(Map<TopicPartition, Long> changelogOffsets) {
    flushCache();
    inner.commit(changelogOffsets);
  }

  @Override
  public Long committedOffset(TopicPartition partition) {
    return inner.committedOffset(partition);
  }

  @Override
  public boolean managesOffsets() {
    return inner.managesOffsets();
  }

  @Override
  public void close() {
    clearCache();
    inner.close();
  }

  @Override
  public boolean persistent() {
    return inner.persistent();
  }

  @Override
  public boolean isOpen() {
    return inner.isOpen();
  }

  @Override
  public <R> QueryResult<R> query(Query<R> query, PositionBound positionBound, QueryConfig config) {
    flushCache();
    return inner.query(query, positionBound, config);
  }

  @Override
  public Position getPosition() {
    return inner.getPosition();
  }

  @Override
  public long approximateNumUncommittedBytes() {
    return inner.approximateNumUncommittedBytes();
  }

  /**
   * Bounds the heap: past {@code maxEntries} objects, drops the unchanged ones (they are in the store below). Only
   * when at least a quarter of the limit is unchanged, so that a commit interval with more changed keys than the
   * limit (a backlog of many patterns) does not scan the whole map on every put for nothing to drop.
   */
  private void evictIfFull() {
    if (cache.size() <= maxEntries || cache.size() - dirty.size() < maxEntries / 4) {
      return;
    }
    for (Iterator<Map.Entry<String, Object>> it = cache.entrySet().iterator(); it.hasNext(); ) {
      if (!dirty.contains(it.next().getKey())) {
        it.remove();
      }
    }
  }

  @SuppressWarnings("unchecked")
  private static <V> V cast(Object value) {
    return (V) value;
  }

  /** Builds the store below as a plain persistent store would be built, and puts the object cache in front. */
  private static final class Builder<V> implements StoreBuilder<ObjectCacheStore<V>> {
    private final StoreBuilder<KeyValueStore<String, V>> inner;
    private final int maxEntries;

    Builder(StoreBuilder<KeyValueStore<String, V>> inner, int maxEntries) {
      this.inner = inner;
      this.maxEntries = maxEntries;
    }

    @Override
    public StoreBuilder<ObjectCacheStore<V>> withCachingEnabled() {
      return this; // this store is the cache
    }

    @Override
    public StoreBuilder<ObjectCacheStore<V>> withCachingDisabled() {
      return this;
    }

    @Override
    public StoreBuilder<ObjectCacheStore<V>> withLoggingEnabled(Map<String, String> config) {
      inner.withLoggingEnabled(config);
      return this;
    }

    @Override
    public StoreBuilder<ObjectCacheStore<V>> withLoggingDisabled() {
      inner.withLoggingDisabled();
      return this;
    }

    @Override
    public ObjectCacheStore<V> build() {
      return new ObjectCacheStore<>(inner.build(), maxEntries);
    }

    @Override
    public Map<String, String> logConfig() {
      return inner.logConfig();
    }

    @Override
    public boolean loggingEnabled() {
      return inner.loggingEnabled();
    }

    @Override
    public String name() {
      return inner.name();
    }
  }
}
