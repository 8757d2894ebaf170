package dev.ledger.projector.streams;

import static dev.ledger.projector.streams.Samples.SIGNATURE;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ledger.events.EventSerde;
import dev.ledger.events.IncidentDetected;
import dev.ledger.events.PatternScope;
import dev.ledger.events.PatternStatsChanged;
import dev.ledger.events.rules.PatternStats;
import java.time.Instant;
import java.util.List;
import java.util.function.UnaryOperator;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.Test;

/** The book alone on in-memory stores: what a restart (a new book over the same stores) publishes. */
class PatternBookTest {
  private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
  private static final UnaryOperator<PatternStats> DETECTED = s -> s.apply(new IncidentDetected("INC-1", "h",
      "backup_failed", "high", null, null, null, null, SIGNATURE, null), NOW);

  private final MockProcessorContext<String, Emit> context = new MockProcessorContext<>();
  private final KeyValueStore<String, PatternBook.PatternState> states = store("states", PatternStateSerde.SERDE);
  private final KeyValueStore<String, Long> rounds = store("rounds", Serdes.Long());

  private <V> KeyValueStore<String, V> store(String name, org.apache.kafka.common.serialization.Serde<V> values) {
    KeyValueStore<String, V> store = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(name),
        Serdes.String(), values).withLoggingDisabled().build();
    store.init(context.getStateStoreContext(), store);
    return store;
  }

  private PatternBook book() {
    return new PatternBook("states", states, rounds, PatternScope.SITE, StreamsTopics.catalogue());
  }

  @Test
  void aRestartPublishesWhatChangedAfterTheLastPublicationAndNothingElse() {
    PatternBook before = book();
    before.apply("site-a", SIGNATURE, DETECTED, 0);
    before.apply("site-b", SIGNATURE, DETECTED, 0);
    assertThat(keys(before.publish(NOW.toEpochMilli()))).containsExactlyInAnyOrder(
        "site-a|" + SIGNATURE, "site-b|" + SIGNATURE);
    before.apply("site-a", SIGNATURE, DETECTED, 0);
    // The app stops here: site-a's second incident is stored, not yet published.

    PatternBook after = book();
    List<Record<String, Emit>> published = after.publish(NOW.toEpochMilli());
    assertThat(keys(published)).containsExactly("site-a|" + SIGNATURE);
    PatternStatsChanged stats = (PatternStatsChanged) EventSerde.deserialize(published.get(0).value().value())
        .payload();
    assertThat(stats.occurrences()).isEqualTo(2);
    assertThat(book().publish(NOW.toEpochMilli())).as("published once").isEmpty();
  }

  @Test
  void aChangeIsPublishedOnceWithItsLatestStats() {
    PatternBook book = book();
    for (int i = 0; i < 3; i++) {
      book.apply("site-a", SIGNATURE, DETECTED, 0);
    }
    List<Record<String, Emit>> published = book.publish(NOW.toEpochMilli());
    assertThat(published).hasSize(1);
    assertThat(((PatternStatsChanged) EventSerde.deserialize(published.get(0).value().value()).payload())
        .occurrences()).isEqualTo(3);
    assertThat(book.publish(NOW.toEpochMilli())).isEmpty();
  }

  private static List<String> keys(List<Record<String, Emit>> records) {
    return records.stream().filter(r -> r.value().topic().equals(StreamsTopics.catalogue().patternStats()))
        .map(Record::key).toList();
  }
}
