package dev.ledger.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class UuidV7Test {

  @Test
  void hasVersion7TheRfcVariantAndTheCurrentMillisecond() {
    long before = System.currentTimeMillis();
    UUID id = UuidV7.next();
    long after = System.currentTimeMillis();

    assertThat(id.version()).isEqualTo(7);
    assertThat(id.variant()).isEqualTo(2);
    assertThat(UuidV7.timestamp(id).toEpochMilli()).isBetween(before, after);
  }

  @Test
  void idsIncreaseStrictlyAsUuidsAndAsText() {
    List<UUID> ids = new ArrayList<>();
    for (int i = 0; i < 20_000; i++) {
      ids.add(UuidV7.next());
    }
    for (int i = 1; i < ids.size(); i++) {
      assertThat(ids.get(i)).isGreaterThan(ids.get(i - 1));
      assertThat(ids.get(i).toString()).isGreaterThan(ids.get(i - 1).toString());
    }
  }

  @Test
  void idsOfOneMillisecondIncreaseEvenPastTheCounter() {
    UuidV7 generator = new UuidV7(() -> 1_700_000_000_000L, new Random(7));
    UUID previous = generator.generate();
    for (int i = 0; i < 10_000; i++) {
      UUID next = generator.generate();
      assertThat(next).isGreaterThan(previous);
      previous = next;
    }
    assertThat(UuidV7.timestamp(previous)).isAfter(Instant.ofEpochMilli(1_700_000_000_000L));
  }

  @Test
  void aClockSteppingBackDoesNotBreakOrder() {
    AtomicLong clock = new AtomicLong(1_700_000_000_500L);
    UuidV7 generator = new UuidV7(clock::get, new Random(7));
    UUID first = generator.generate();
    clock.set(1_700_000_000_000L);

    assertThat(generator.generate()).isGreaterThan(first);
  }

  @Test
  void randomUuidsAreNotV7() {
    assertThat(UuidV7.isV7(UUID.randomUUID())).isFalse();
  }
}
