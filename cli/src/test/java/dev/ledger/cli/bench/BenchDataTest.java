package dev.ledger.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ledger.events.rules.IncidentIds;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The benchmark's rows look like the ledger's: valid incident ids, unique, and records of about 300 bytes. */
class BenchDataTest {

  @Test
  void incidentIdsFollowTheDomainRuleAndAreUnique() {
    Set<String> seen = new HashSet<>();
    for (int i : new int[] {0, 1, 15, 16, 65_535, 65_536, 999_999, 1_000_000, 2_345_678}) {
      String id = BenchData.incidentId(i);
      assertThat(IncidentIds.isValid(id)).as(id).isTrue();
      assertThat(seen.add(id)).as(id).isTrue();
    }
  }

  @Test
  void recordsAreAboutThreeHundredBytes() {
    SplittableRandom random = new SplittableRandom(1);
    for (int i = 0; i < 1000; i++) {
      int size = BenchData.json(i, random).getBytes(StandardCharsets.UTF_8).length;
      assertThat(size).isBetween(270, 330);
    }
  }
}
