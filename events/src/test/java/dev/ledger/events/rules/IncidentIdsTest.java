package dev.ledger.events.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ledger.events.InvalidEventException;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

class IncidentIdsTest {

  private static final Instant AT = Instant.parse("2025-03-01T12:34:56.123456789Z");

  @Test
  void formatsUtcSecondsMicrosAndFourHexDigits() {
    assertThat(IncidentIds.format(AT, 0xa1b2)).isEqualTo("INC-20250301123456123456a1b2");
    assertThat(IncidentIds.format(Instant.parse("2025-03-01T00:00:00Z"), 0x7)).isEqualTo(
        "INC-202503010000000000000007");
  }

  @Test
  void newIdsAreValidAndCarryTheirTime() {
    String id = IncidentIds.next(AT);

    assertThat(id).matches("INC-20250301123456123456[0-9a-f]{4}");
    assertThat(IncidentIds.isValid(id)).isTrue();
    assertThat(IncidentIds.timestampOf(id)).isEqualTo(Instant.parse("2025-03-01T12:34:56.123456Z"));
  }

  @Test
  void idsOfOneProcessForTheSameMicrosecondDiffer() {
    java.util.Set<String> ids = new java.util.HashSet<>();
    for (int i = 0; i < 65_536; i++) {
      ids.add(IncidentIds.next(AT));
    }

    assertThat(ids).hasSize(65_536);
  }

  @ParameterizedTest
  @NullSource
  @ValueSource(strings = {"", "INC-20250301123456123456A1B2", "INC-20251301123456123456a1b2",
    "INC-20250230123456123456a1b2", "INC-2025030112345612345a1b2", "inc-20250301123456123456a1b2",
    "INC-20250301123456123456a1b2 ", "20250301123456123456a1b2"})
  void rejectsAnythingElse(String id) {
    assertThat(IncidentIds.isValid(id)).isFalse();
    assertThatThrownBy(() -> IncidentIds.requireValid(id))
        .isInstanceOfSatisfying(InvalidEventException.class,
            e -> assertThat(e.field()).isEqualTo("incident_id"));
  }
}
