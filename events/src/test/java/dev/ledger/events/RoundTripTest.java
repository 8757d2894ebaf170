package dev.ledger.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

class RoundTripTest {

  @TestFactory
  Stream<DynamicTest> everyRegisteredTypeReadsBackEqual() {
    return EventTypes.all().stream().map(type -> DynamicTest.dynamicTest(type.name(), () -> {
      Envelope envelope = EventSamples.envelope(type);

      Envelope read = EventSerde.deserialize(EventSerde.serialize(envelope));

      assertThat(read).isEqualTo(envelope);
      assertThat(read.type()).isEqualTo(type.name());
      assertThat(read.schemaVersion()).isEqualTo(type.currentVersion());
    }));
  }

  @Test
  void everyEventRecordIsRegistered() {
    List<Class<?>> records = new ArrayList<>();
    collectRecords(LedgerEvent.class, records);

    assertThat(records).hasSize(EventTypes.all().size());
    records.forEach(record -> assertThat(EventTypes.all())
        .as("registered: %s", record.getSimpleName())
        .anyMatch(type -> type.recordClass().equals(record)));
  }

  @Test
  void typeNamesAreUniqueAndLookedUpByName() {
    assertThat(EventTypes.all()).extracting(EventType::name).doesNotHaveDuplicates();
    EventTypes.all().forEach(type -> assertThat(EventTypes.byName(type.name())).isSameAs(type));
  }

  private static void collectRecords(Class<?> sealed, List<Class<?>> records) {
    for (Class<?> permitted : sealed.getPermittedSubclasses()) {
      if (permitted.isRecord()) {
        records.add(permitted);
      } else {
        collectRecords(permitted, records);
      }
    }
  }
}
