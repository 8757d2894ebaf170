package dev.ledger.events.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ledger.events.InvalidEventException;
import org.junit.jupiter.api.Test;

class PatternSignatureTest {

  @Test
  void normalisesTimestamps() {
    assertThat(PatternSignature.normaliseError("at 2025-03-01T02:00:00Z and 2025-03-01 02:00:00.123+01:00 ok"))
        .isEqualTo("at <TIMESTAMP> and <TIMESTAMP> ok");
  }

  @Test
  void normalisesIpv4Addresses() {
    assertThat(PatternSignature.normaliseError("connect to 10.0.0.12:445 from 192.168.1.1."))
        .isEqualTo("connect to <IP>:445 from <IP>.");
  }

  @Test
  void normalisesUuids() {
    assertThat(PatternSignature.normaliseError("job 6F1C2A7E-0B0A-4C1E-9D7E-2B8F3F4A5C6D failed"))
        .isEqualTo("job <UUID> failed");
  }

  @Test
  void normalisesHexPathSegments() {
    String hash = "0123456789abcdef0123456789ABCDEF";

    assertThat(PatternSignature.normaliseError("/var/cache/" + hash + "/" + hash + "/file missing"))
        .isEqualTo("/var/cache/<HASH>/<HASH>/file missing");
    assertThat(PatternSignature.normaliseError("/var/cache/" + hash)).isEqualTo("/var/cache/" + hash);
  }

  @Test
  void cutsTo200CharactersAfterNormalising() {
    String long1 = "x".repeat(195) + " 10.0.0.1 " + "y".repeat(50);
    String emoji = "\uD83D\uDE00".repeat(201);

    assertThat(PatternSignature.normaliseError(long1)).isEqualTo("x".repeat(195) + " <IP>");
    assertThat(PatternSignature.normaliseError(emoji)).isEqualTo("\uD83D\uDE00".repeat(200));
  }

  @Test
  void isTheFirst16HexOfTheSha256OfSortedKeyJson() {
    // SHA-256 of {"check_type":"backup","drift_type":"missed_schedule","error":"job failed at <TIMESTAMP>
    // from <IP>","incident_type":"backup_failed","service_name":"veeam"}
    assertThat(PatternSignature.of("backup_failed", "backup", "missed_schedule", "veeam",
        "job failed at 2025-03-01T02:00:00Z from 10.1.2.3")).isEqualTo("ef63091094d9e469");
  }

  @Test
  void leavesAbsentFieldsOut() {
    // SHA-256 of {"incident_type":"disk_full"}
    assertThat(PatternSignature.of("disk_full", null, null, null, null)).isEqualTo("4ff7b2d99b929530");
    assertThat(PatternSignature.of("disk_full", "", " ", null, "")).isEqualTo("4ff7b2d99b929530");
  }

  @Test
  void variablePartsOfTheErrorDoNotChangeTheSignature() {
    String one = PatternSignature.of("backup_failed", "backup", null, null, "at 2025-03-01T02:00:00Z on 10.0.0.1");
    String two = PatternSignature.of("backup_failed", "backup", null, null, "at 2025-04-09T17:45:10Z on 10.0.0.9");
    String other = PatternSignature.of("backup_failed", "backup", null, null, "disk full");

    assertThat(one).isEqualTo(two).isNotEqualTo(other).matches("[0-9a-f]{16}");
  }

  @Test
  void needsAnIncidentType() {
    assertThatThrownBy(() -> PatternSignature.of(null, "backup", null, null, null))
        .isInstanceOf(InvalidEventException.class);
  }
}
