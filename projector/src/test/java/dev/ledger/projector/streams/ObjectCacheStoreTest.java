package dev.ledger.projector.streams;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.Test;

/**
 * The object cache in front of a store: changes reach the store below (and so its changelog) only when the task
 * flushes before a commit; reads see the changes at once; a dirty close forgets what was not flushed.
 */
class ObjectCacheStoreTest {
  private final MockProcessorContext<String, String> context = new MockProcessorContext<>();
  private final KeyValueStore<String, Long> below = Stores.keyValueStoreBuilder(
      Stores.inMemoryKeyValueStore("counts"), Serdes.String(), Serdes.Long()).withLoggingDisabled().build();
  private final ObjectCacheStore<Long> store = new ObjectCacheStore<>(below, 4);

  ObjectCacheStoreTest() {
    store.init(context.getStateStoreContext(), store);
  }

  @Test
  void changesReachTheStoreBelowOnlyWhenFlushed() {
    store.put("a", 1L);
    store.put("a", 2L);
    store.put("b", 5L);

    assertThat(store.get("a")).isEqualTo(2L);
    assertThat(below.get("a")).as("not written down before the flush").isNull();
    store.flushCache();
    assertThat(below.get("a")).isEqualTo(2L);
    assertThat(below.get("b")).isEqualTo(5L);
  }

  @Test
  void readsGoThroughToTheStoreBelowAndDeletesAreWrittenDownToo() {
    below.put("x", 7L);

    assertThat(store.get("x")).isEqualTo(7L);
    assertThat(store.delete("x")).isEqualTo(7L);
    assertThat(store.get("x")).as("deleted, though still below until the flush").isNull();
    assertThat(below.get("x")).isEqualTo(7L);
    store.flushCache();
    assertThat(below.get("x")).isNull();
    assertThat(store.get("x")).isNull();
  }

  @Test
  void aDirtyCloseForgetsWhatWasNotFlushed() {
    store.put("a", 1L);
    store.flushCache();
    store.put("a", 2L); // the task fails before its next commit

    store.clearCache();

    assertThat(store.get("a")).as("the committed value, read again from below").isEqualTo(1L);
  }

  @Test
  void aFullCacheDropsOnlyUnchangedValues() {
    for (long i = 0; i < 4; i++) {
      below.put("clean-" + i, i);
      store.get("clean-" + i);
    }
    store.put("changed", 99L); // a fifth entry: the clean ones go

    assertThat(store.get("changed")).isEqualTo(99L);
    assertThat(below.get("changed")).isNull();
    store.flushCache();
    assertThat(below.get("changed")).as("the changed value survived the eviction").isEqualTo(99L);
    assertThat(store.get("clean-2")).as("an evicted value is read from below again").isEqualTo(2L);
  }

  @Test
  void aScanSeesUnflushedChanges() {
    below.put("a", 1L);
    store.put("b", 2L);
    store.delete("a");

    List<KeyValue<String, Long>> all = new ArrayList<>();
    try (KeyValueIterator<String, Long> it = store.all()) {
      it.forEachRemaining(all::add);
    }

    assertThat(all).containsExactly(KeyValue.pair("b", 2L));
  }
}
