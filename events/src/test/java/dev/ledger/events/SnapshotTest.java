package dev.ledger.events;

import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Pins the wire JSON of every event type to an approved file, {@code snapshots/<type>.json} in the test resources.
 * A mismatch writes {@code target/snapshots/<type>.received.json} and fails; approving is copying that file over
 * the approved one by hand, after checking the change is intended (and versioned, with an upcaster).
 */
class SnapshotTest {

  private static final Path RECEIVED = Path.of("target", "snapshots");
  private static final DefaultPrettyPrinter PRINTER = new DefaultPrettyPrinter()
      .withSeparators(Separators.createDefaultInstance()
          .withObjectFieldValueSpacing(Separators.Spacing.AFTER))
      .withObjectIndenter(new DefaultIndenter("  ", "\n"))
      .withArrayIndenter(new DefaultIndenter("  ", "\n"));

  @TestFactory
  Stream<DynamicTest> everyEventTypeMatchesItsApprovedSnapshot() {
    return EventTypes.all().stream().map(type -> DynamicTest.dynamicTest(type.name(), () -> check(type)));
  }

  private static void check(EventType type) throws IOException {
    byte[] wire = EventSerde.serialize(EventSamples.envelope(type));
    String received = Json.MAPPER.writer(PRINTER).writeValueAsString(Json.MAPPER.readTree(wire)) + "\n";
    String approved = approved(type.name());
    if (!received.equals(approved)) {
      Path file = RECEIVED.resolve(type.name() + ".received.json");
      Files.createDirectories(RECEIVED);
      Files.writeString(file, received, StandardCharsets.UTF_8);
      fail("wire JSON of " + type.name() + " differs from snapshots/" + type.name() + ".json"
          + (approved == null ? " (no approved snapshot yet)" : "") + "; received: " + file.toAbsolutePath());
    }
  }

  private static String approved(String type) throws IOException {
    try (InputStream in = SnapshotTest.class.getResourceAsStream("/snapshots/" + type + ".json")) {
      return in == null ? null : new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
