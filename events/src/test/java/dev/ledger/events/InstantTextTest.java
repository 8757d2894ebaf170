package dev.ledger.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class InstantTextTest {

  @Test
  void readsWhatInstantParseReadsForRandomInstantsAndFractionLengths() {
    Random random = new Random(42);
    for (int i = 0; i < 20_000; i++) {
      Instant at = Instant.ofEpochSecond(random.nextLong(-62_000_000_000L, 253_000_000_000L),
          random.nextInt(1_000_000_000));
      String text = at.toString(); // ISO-8601: 0, 3, 6 or 9 fraction digits
      assertThat(InstantText.parseCommon(text)).as(text).isEqualTo(Instant.parse(text));
      String trimmed = text.substring(0, Math.max(20, text.length() - 1 - random.nextInt(9))) + "Z";
      if (!trimmed.endsWith(".Z")) {
        assertThat(InstantText.parseCommon(trimmed)).as(trimmed).isEqualTo(Instant.parse(trimmed));
      }
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"2026-02-29T00:00:00Z", "2026-13-01T00:00:00Z", "2026-01-01T24:00:00Z",
    "2026-01-01T00:00:60Z", "2026-01-01T00:00:00.Z", "2026-01-01T00:00:00.1234567890Z", "2026-01-01 00:00:00Z",
    "+12026-01-01T00:00:00Z", "2026-01-01T00:00:0aZ", "2026-1-01T00:00:00Z"})
  void leavesAnythingElseToInstantParse(String text) {
    assertThat(InstantText.parseCommon(text)).isNull();
  }

  @Test
  void anEnvelopeStillReadsTheLeftoversOrRefusesThem() {
    com.fasterxml.jackson.databind.node.ObjectNode tree = (com.fasterxml.jackson.databind.node.ObjectNode)
        EventSerde.toTree(EventSamples.envelope(EventTypes.byName("incident.detected")));

    assertThat(EventSerde.fromTree(tree.put("occurred_at", "+12026-01-01T00:00:00Z")).occurredAt())
        .isEqualTo(Instant.parse("+12026-01-01T00:00:00Z"));
    assertThatThrownBy(() -> EventSerde.fromTree(tree.put("occurred_at", "2026-02-29T00:00:00Z")))
        .isInstanceOfSatisfying(InvalidEventException.class, e -> assertThat(e.field()).isEqualTo("occurred_at"));
  }
}
