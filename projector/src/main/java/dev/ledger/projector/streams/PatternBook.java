package dev.ledger.projector.streams;

import dev.ledger.events.Envelope;
import dev.ledger.events.EventSerde;
import dev.ledger.events.PatternScope;
import dev.ledger.events.PromotionEligibilityChanged;
import dev.ledger.events.rules.PatternStats;
import dev.ledger.events.rules.PromotionRule;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The pattern statistics of one scope (per site, or fleet-wide) in a state store keyed {@code owner|signature},
 * where the owner is a site id or {@code fleet}; the same text is the key of both output topics.
 *
 * <p>Changes are folded into the store at once and published by {@link #publish}, which the processor calls on the
 * wall clock (every commit interval): each changed pattern's latest stats once, and an eligibility change when its
 * eligibility flipped since it was last published. A pattern hit by thousands of incidents a second is therefore
 * one record a second on the compacted stats topic, not thousands (only the latest per key survives compaction
 * anyway). Which patterns await publishing survives a crash or a move of the task: each stored state carries the
 * publishing round it changed in, and the book's last published round is kept in a store of its own; both commit
 * with the counters under exactly-once, and a publication writes only that one round number (plus the states whose
 * eligibility flipped), not every state it published.
 */
final class PatternBook {

  /**
   * One pattern's stats; the number of sites that saw it (1 per site; in a fleet delta, the sites it adds); the
   * eligibility last published; and the publishing round it last changed in.
   */
  record PatternState(PatternStats stats, int distinctSites, boolean eligible, long changedInRound) {
  }

  private final KeyValueStore<String, PatternState> store;
  private final KeyValueStore<String, Long> rounds;
  private final String name;
  private final PatternScope scope;
  private final StreamsTopics topics;
  /** The keys changed since the last publication, in the order they changed: those {@link #publish} emits. */
  private final Set<String> pending = new LinkedHashSet<>();
  /** The round being collected: one more than the last published. */
  private long round;

  /**
   * The book over the store {@code name}, with its last published round kept in {@code rounds} (keyed by that
   * name); finds the stored patterns that changed after the last publication.
   */
  PatternBook(String name, KeyValueStore<String, PatternState> store, KeyValueStore<String, Long> rounds,
      PatternScope scope, StreamsTopics topics) {
    this.name = name;
    this.store = store;
    this.rounds = rounds;
    this.scope = scope;
    this.topics = topics;
    Long published = rounds.get(name);
    long last = published == null ? 0 : published;
    this.round = last + 1;
    try (KeyValueIterator<String, PatternState> all = store.all()) {
      all.forEachRemaining(kv -> {
        if (kv.value.changedInRound() > last) {
          pending.add(kv.key);
        }
      });
    }
  }

  /**
   * Folds a change into the stats of {@code owner|signature}; {@code newSites} is how many sites it adds to a
   * fleet-wide count (a site's own stats always count one site). Returns whether the pattern was new to the owner.
   */
  boolean apply(String owner, String signature, UnaryOperator<PatternStats> fold, int newSites) {
    String key = owner + "|" + signature;
    PatternState old = store.get(key);
    PatternStats stats = fold.apply(old == null ? PatternStats.empty(signature) : old.stats());
    int sites = scope == PatternScope.SITE ? 1 : (old == null ? 0 : old.distinctSites()) + newSites;
    store.put(key, new PatternState(stats, sites, old != null && old.eligible(), round));
    pending.add(key);
    return old == null;
  }

  /** The stats and eligibility changes of every pattern changed since the last call, evaluated at {@code now}. */
  List<Record<String, Emit>> publish(long now) {
    if (pending.isEmpty()) {
      return List.of(); // nothing changed: no round to record (an idle task writes no changelog every second)
    }
    List<Record<String, Emit>> out = new ArrayList<>(pending.size());
    for (String key : pending) {
      PatternState state = store.get(key);
      if (state != null) {
        out.addAll(update(owner(key), key, state, now));
      }
    }
    pending.clear();
    rounds.put(name, round);
    round++;
    return out;
  }

  /** Re-evaluates every eligible pattern on the clock: one that went quiet loses eligibility. */
  List<Record<String, Emit>> expire(long now) {
    List<String> quiet = new ArrayList<>();
    try (KeyValueIterator<String, PatternState> all = store.all()) {
      all.forEachRemaining(kv -> {
        if (kv.value.eligible() && !PromotionRule.isEligible(kv.value.stats(), Instant.ofEpochMilli(now))) {
          quiet.add(kv.key);
        }
      });
    }
    List<Record<String, Emit>> out = new ArrayList<>();
    for (String key : quiet) {
      pending.remove(key);
      out.addAll(update(owner(key), key, store.get(key), now));
    }
    return out;
  }

  private static String owner(String key) {
    return key.substring(0, key.lastIndexOf('|'));
  }

  /** Publishes the state: its stats, and its eligibility if that flipped (stored then, to flip once). */
  private List<Record<String, Emit>> update(String owner, String key, PatternState state, long now) {
    Instant at = Instant.ofEpochMilli(now);
    PromotionRule.Decision decision = PromotionRule.evaluate(state.stats(), at);
    if (decision.eligible() != state.eligible()) {
      store.put(key, new PatternState(state.stats(), state.distinctSites(), decision.eligible(),
          state.changedInRound()));
    }
    List<Record<String, Emit>> out = new ArrayList<>(2);
    Envelope stats = Envelope.of(owner, null, at,
        state.stats().toEvent(scope, state.distinctSites(), decision.eligible()));
    out.add(record(key, topics.patternStats(), stats, now));
    if (decision.eligible() != state.eligible()) {
      Envelope change = Envelope.of(owner, null, at,
          new PromotionEligibilityChanged(state.stats().patternSignature(), decision.eligible(), decision.reason()));
      out.add(record(key, topics.promotionEligibility(), change, now));
    }
    return out;
  }

  private static Record<String, Emit> record(String key, String topic, Envelope envelope, long timestamp) {
    return new Record<>(key, Emit.output(topic, EventSerde.serialize(envelope)), timestamp, new RecordHeaders());
  }
}
