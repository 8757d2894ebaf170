package dev.ledger.bridge;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BackoffTest {
  @Test
  void doublesFromOneUnitAndCapsAtSixty() {
    Duration minute = Duration.ofMinutes(1);
    assertThat(Backoff.delay(0, minute)).isEqualTo(Duration.ofMinutes(1));
    assertThat(Backoff.delay(1, minute)).isEqualTo(Duration.ofMinutes(2));
    assertThat(Backoff.delay(5, minute)).isEqualTo(Duration.ofMinutes(32));
    assertThat(Backoff.delay(6, minute)).isEqualTo(Duration.ofMinutes(60));
    assertThat(Backoff.delay(40, minute)).isEqualTo(Duration.ofMinutes(60));
  }
}
