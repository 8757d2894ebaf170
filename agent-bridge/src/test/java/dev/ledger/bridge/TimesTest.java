package dev.ledger.bridge;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TimesTest {
  private static final DateTimeFormatter REFERENCE =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(ZoneOffset.UTC);

  @ParameterizedTest
  @ValueSource(strings = {"1970-01-01T00:00:00Z", "2026-12-02T08:30:01.123456789Z", "1999-12-31T23:59:59.999999Z",
    "2024-02-29T12:00:00.000001Z", "9999-12-31T23:59:59.999999999Z", "1969-07-20T20:17:40Z",
    "+10000-01-01T00:00:00Z"})
  void fixedWidthMicrosecondsInUtcThatReadBack(String text) {
    Instant at = Instant.parse(text);

    assertThat(Times.text(at)).isEqualTo(REFERENCE.format(at));
    if (at.getEpochSecond() >= 0 && at.isBefore(Instant.parse("+10000-01-01T00:00:00Z"))) {
      assertThat(Times.text(at)).hasSize(27);
    }
    assertThat(Times.instant(Times.text(at))).isEqualTo(at.truncatedTo(java.time.temporal.ChronoUnit.MICROS));
  }
}
