package dev.ledger.projector.streams;

import dev.ledger.events.Envelope;
import dev.ledger.events.EventSerde;
import dev.ledger.events.PatternScope;
import dev.ledger.events.PromotionEligibilityChanged;
import dev.ledger.events.rules.PatternStats;
import dev.ledger.events.rules.PromotionRule;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The pattern statistics of one scope (per site, or fleet-wide) in a state store keyed {@code owner|signature},
 * where the owner is a site id or {@code fleet}; the same text is the key of both output topics. Every change
 * emits the new stats, and a flip of eligibility also emits an eligibility change.
 */
final class PatternBook {

  /** One pattern's stats, the number of sites that saw it (1 per site), and its last emitted eligibility. */
  record PatternState(PatternStats stats, int distinctSites, boolean eligible) {
  }

  private final KeyValueStore<String, PatternState> store;
  private final PatternScope scope;
  private final StreamsTopics topics;

  PatternBook(KeyValueStore<String, PatternState> store, PatternScope scope, StreamsTopics topics) {
    this.store = store;
    this.scope = scope;
    this.topics = topics;
  }

  /** Folds one event into the stats of {@code owner|signature}; {@code newSites} is how many sites it adds
   * to a fleet-wide count (a site's own stats always count one site). */
  List<Record<String, Emit>> apply(
      String owner, String signature, UnaryOperator<PatternStats> fold, int newSites, long now) {
    String key = owner + "|" + signature;
    PatternState old = store.get(key);
    PatternStats stats = fold.apply(old == null ? PatternStats.empty(signature) : old.stats());
    int sites = scope == PatternScope.SITE ? 1 : (old == null ? 0 : old.distinctSites()) + newSites;
    return update(owner, key, old != null && old.eligible(), new PatternState(stats, sites, false), now);
  }

  /** Re-evaluates every eligible pattern on the clock: one that went quiet loses eligibility. */
  List<Record<String, Emit>> expire(long now) {
    List<KeyValue<String, PatternState>> quiet = new ArrayList<>();
    try (KeyValueIterator<String, PatternState> all = store.all()) {
      all.forEachRemaining(kv -> {
        if (kv.value.eligible() && !PromotionRule.isEligible(kv.value.stats(), Instant.ofEpochMilli(now))) {
          quiet.add(kv);
        }
      });
    }
    List<Record<String, Emit>> out = new ArrayList<>();
    for (KeyValue<String, PatternState> kv : quiet) {
      String owner = kv.key.substring(0, kv.key.lastIndexOf('|'));
      out.addAll(update(owner, kv.key, true, kv.value, now));
    }
    return out;
  }

  private List<Record<String, Emit>> update(
      String owner, String key, boolean wasEligible, PatternState next, long now) {
    Instant at = Instant.ofEpochMilli(now);
    PromotionRule.Decision decision = PromotionRule.evaluate(next.stats(), at);
    store.put(key, new PatternState(next.stats(), next.distinctSites(), decision.eligible()));
    List<Record<String, Emit>> out = new ArrayList<>(2);
    Envelope stats = Envelope.of(owner, null, at,
        next.stats().toEvent(scope, next.distinctSites(), decision.eligible()));
    out.add(record(key, topics.patternStats(), stats, now));
    if (decision.eligible() != wasEligible) {
      Envelope change = Envelope.of(owner, null, at,
          new PromotionEligibilityChanged(next.stats().patternSignature(), decision.eligible(), decision.reason()));
      out.add(record(key, topics.promotionEligibility(), change, now));
    }
    return out;
  }

  private static Record<String, Emit> record(String key, String topic, Envelope envelope, long timestamp) {
    return new Record<>(key, Emit.output(topic, EventSerde.serialize(envelope)), timestamp, new RecordHeaders());
  }
}
