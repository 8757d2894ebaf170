package dev.ledger.projector.streams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ledger.events.rules.PatternStats;
import dev.ledger.projector.streams.PatternBook.PatternState;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class PatternStateSerdeTest {
  private static final String SIGNATURE = "0123456789abcdef";

  @Test
  void roundTripsEveryField() {
    PatternState state = new PatternState(new PatternStats(SIGNATURE, 7, 1, 4, 2, 6, 12_345,
        Instant.parse("2026-11-28T10:15:30.123456789Z"), "restart_service"), 3, true, 7);
    assertThat(PatternStateSerde.read(PatternStateSerde.write(state))).isEqualTo(state);
  }

  @Test
  void roundTripsAbsentOptionalFields() {
    PatternState state = new PatternState(PatternStats.empty(SIGNATURE), 0, false, 0);
    assertThat(PatternStateSerde.read(PatternStateSerde.write(state))).isEqualTo(state);
  }

  @Test
  void readsTheJsonThatEarlierVersionsWroteToTheChangelogAsPublished() {
    PatternStats stats = new PatternStats(SIGNATURE, 2, 0, 1, 0, 1, 900, Instant.parse("2026-11-28T10:15:30Z"),
        "restart");
    byte[] json = JsonSerde.write(new PatternStateSerde.JsonState(stats, 1, true));
    assertThat(PatternStateSerde.read(json)).isEqualTo(new PatternState(stats, 1, true, 0));
  }

  @Test
  void readsVersionOneWithoutThePendingFlagAsPublished() {
    PatternState state = new PatternState(PatternStats.empty(SIGNATURE), 4, true, 9);
    byte[] v2 = PatternStateSerde.write(state);
    byte[] v1 = java.util.Arrays.copyOf(v2, v2.length - 8); // version 1 ended after the eligibility flag
    v1[0] = 1;
    assertThat(PatternStateSerde.read(v1)).isEqualTo(new PatternState(state.stats(), 4, true, 0));
  }

  @Test
  void refusesAnUnknownVersion() {
    byte[] bytes = PatternStateSerde.write(new PatternState(PatternStats.empty(SIGNATURE), 0, false, 0));
    bytes[0] = 9;
    assertThatThrownBy(() -> PatternStateSerde.read(bytes)).hasMessageContaining("version 9");
  }
}
