package dev.ledger.projector.tables;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ledger.events.rules.ApplianceLiveness;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ApplianceLivenessTest {
  private static final Instant NOW = Instant.parse("2026-11-28T12:00:00Z");

  @Test
  void onlineUnderFifteenMinutesStaleUnderAnHourOfflineAfter() {
    assertThat(ApplianceLiveness.of(NOW.minusSeconds(14 * 60 + 59), NOW)).isEqualTo(ApplianceLiveness.ONLINE);
    assertThat(ApplianceLiveness.of(NOW.minusSeconds(15 * 60), NOW)).isEqualTo(ApplianceLiveness.STALE);
    assertThat(ApplianceLiveness.of(NOW.minusSeconds(3599), NOW)).isEqualTo(ApplianceLiveness.STALE);
    assertThat(ApplianceLiveness.of(NOW.minusSeconds(3600), NOW)).isEqualTo(ApplianceLiveness.OFFLINE);
    assertThat(ApplianceLiveness.of(null, NOW)).isEqualTo(ApplianceLiveness.OFFLINE);
  }

  @Test
  void noDataIsNoDataNeverAHundredPercent() {
    assertThat(new ComplianceScore("s", 0, 0).display()).isEqualTo("no data");
    assertThat(new ComplianceScore("s", 0, 0).percent()).isEmpty();
    assertThat(new ComplianceScore("s", 3, 4).display()).isEqualTo("75.0%");
  }
}
