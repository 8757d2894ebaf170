package dev.ledger.projector.streams;

import dev.ledger.events.rules.PatternStats;
import dev.ledger.projector.streams.PatternBook.PatternState;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * What one site task adds to the fleet-wide stats since it last passed it on: per pattern signature, the fold of
 * its sites' events since then and how many of its sites saw the pattern for the first time. {@link #drain} hands
 * each pattern's delta on (keyed by signature, for the repartition to the fleet task) and forgets it, so the fleet
 * task reads one record per pattern and commit interval instead of one per incident; deltas add
 * ({@link PatternStats#plus}), so the fleet's totals are the same. The deltas live in a state store and commit with
 * the input offsets under exactly-once.
 */
final class FleetDeltas {
  static final String STORE = "fleet-pattern-deltas";

  private final KeyValueStore<String, PatternState> store;

  FleetDeltas(KeyValueStore<String, PatternState> store) {
    this.store = store;
  }

  /** Folds one event of a site into the delta of its pattern; {@code newSite} when the site saw it first. */
  void add(String signature, UnaryOperator<PatternStats> fold, boolean newSite) {
    PatternState old = store.get(signature);
    PatternStats delta = fold.apply(old == null ? PatternStats.empty(signature) : old.stats());
    store.put(signature, new PatternState(delta, (old == null ? 0 : old.distinctSites()) + (newSite ? 1 : 0),
        false, 0));
  }

  /** Every pending delta as a record for the fleet task (value: {@link PatternStateSerde} bytes); then none. */
  List<Record<String, Emit>> drain(long now) {
    List<Record<String, Emit>> out = new ArrayList<>();
    try (KeyValueIterator<String, PatternState> all = store.all()) {
      all.forEachRemaining(kv -> out.add(new Record<>(kv.key, Emit.fleetPattern(PatternStateSerde.write(kv.value)),
          now, new RecordHeaders())));
    }
    out.forEach(r -> store.delete(r.key()));
    return out;
  }
}
