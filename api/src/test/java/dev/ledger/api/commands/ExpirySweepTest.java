package dev.ledger.api.commands;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ledger.api.commands.ExpirySweep.Due;
import dev.ledger.events.EventSerde;
import dev.ledger.events.OrderExpired;
import dev.ledger.events.UuidV7;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class ExpirySweepTest {
  private static final Instant EXPIRES = Instant.parse("2026-11-28T13:00:00.123Z");

  @Test
  void theExpiryEventIdIsAUuidV7DeterminedByTheOrderAndItsExpiry() {
    UUID id = ExpirySweep.eventId("ord-1", EXPIRES);

    assertThat(UuidV7.isV7(id)).isTrue();
    assertThat(UuidV7.timestamp(id)).isEqualTo(Instant.parse("2026-11-28T13:00:00.123Z"));
    assertThat(ExpirySweep.eventId("ord-1", EXPIRES)).isEqualTo(id);
    assertThat(ExpirySweep.eventId("ord-2", EXPIRES)).isNotEqualTo(id);
    assertThat(ExpirySweep.eventId("ord-1", EXPIRES.plusMillis(1))).isNotEqualTo(id);
  }

  @Test
  void sweepingTwiceMakesTheSameBytesSoTheProjectorAppliesItOnce() {
    Due due = new Due("ord-1", "s1", "a1", EXPIRES);

    byte[] first = EventSerde.serialize(ExpirySweep.event(due));
    byte[] again = EventSerde.serialize(ExpirySweep.event(due));

    assertThat(again).isEqualTo(first);
    var envelope = EventSerde.deserialize(first);
    assertThat(envelope.payload()).isEqualTo(new OrderExpired("ord-1"));
    assertThat(envelope.occurredAt()).isEqualTo(EXPIRES);
    assertThat(envelope.siteId()).isEqualTo("s1");
  }
}
