package dev.ledger.cli.projections;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ProgressBarTest {
  @Test
  void showsFractionRateAndTimeLeft() {
    assertThat(ProgressBar.line(250_000, 1_000_000, 5.0))
        .isEqualTo("[########......................]  25% 250,000/1,000,000 events 50,000 ev/s ETA 0:15");
    assertThat(ProgressBar.line(0, 10, 0)).endsWith("ETA --:--");
    assertThat(ProgressBar.line(10, 10, 1)).startsWith("[" + "#".repeat(30) + "] 100%");
    assertThat(ProgressBar.clock(3725)).isEqualTo("1:02:05");
  }
}
