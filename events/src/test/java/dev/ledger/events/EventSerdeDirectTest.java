package dev.ledger.events;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.ledger.events.crypto.Signing;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The one-pass reader of current envelopes ({@code EventSerde.direct}) against the general reader: it takes every
 * current envelope, and whatever it accepts the general reader accepts as the same envelope; over mutations of every
 * event type's sample (fields missing, doubled, reordered, retyped; older versions; stray bytes) the public
 * {@code deserialize} answers exactly as the general reader does, value or error.
 */
class EventSerdeDirectTest {
  private static final JsonNode[] ODD_VALUES = {EventSamples.json("null"), EventSamples.json("7"),
      EventSamples.json("7.5"), EventSamples.json("true"), EventSamples.json("\"x\""), EventSamples.json("{}"),
      EventSamples.json("[]"), EventSamples.json("4294967296"), EventSamples.json("\"01956a2e-8f00-7abc-8def\"")};

  @Test
  void everyCurrentEnvelopeIsReadInOnePassAsTheGeneralReaderReadsIt() {
    for (EventType type : EventTypes.all()) {
      Envelope sample = EventSamples.envelope(type);
      for (Envelope e : List.of(sample, Signing.sign(sample, Signing.decodePrivateKey(EventSamples.PRIVATE_KEY)))) {
        byte[] bytes = EventSerde.serialize(e);
        Envelope direct = EventSerde.direct(bytes);
        assertThat(direct).as(type.name()).isNotNull().isEqualTo(EventSerde.general(bytes)).isEqualTo(e);
      }
    }
  }

  @Test
  void mutatedEnvelopesAreAnsweredExactlyAsTheGeneralReaderAnswersThem() {
    Random random = new Random(7);
    int directlyRead = 0;
    int rejected = 0;
    for (EventType type : EventTypes.all()) {
      byte[] valid = EventSerde.serialize(EventSamples.envelope(type));
      for (byte[] mutant : mutants(valid, random)) {
        Object general = outcome(() -> EventSerde.general(mutant));
        Object direct = outcome(() -> EventSerde.direct(mutant));
        if (direct instanceof Envelope) {
          directlyRead++;
          assertThat(direct).as(new String(mutant, StandardCharsets.UTF_8)).isEqualTo(general);
        } else {
          assertThat(direct).as("the direct reader never throws").isNull();
        }
        if (!(general instanceof Envelope)) {
          rejected++;
        }
        assertThat(outcome(() -> EventSerde.deserialize(mutant))).as(new String(mutant, StandardCharsets.UTF_8))
            .isEqualTo(general);
      }
    }
    // The mutations exercise both sides: some are still valid (reordered fields, equal values), most are not.
    assertThat(directlyRead).isPositive();
    assertThat(rejected).isGreaterThan(directlyRead);
  }

  /** The envelope, or the rejection's class and message (what a dead letter would carry). */
  private static Object outcome(java.util.function.Supplier<Envelope> read) {
    try {
      return read.get();
    } catch (LedgerException e) {
      return e.getClass().getSimpleName() + ": " + e.getMessage();
    }
  }

  private static List<byte[]> mutants(byte[] valid, Random random) {
    ObjectNode tree = (ObjectNode) EventSerde.parse(valid);
    List<String> fields = new ArrayList<>();
    tree.fieldNames().forEachRemaining(fields::add);
    List<byte[]> out = new ArrayList<>();
    for (String field : fields) {
      ObjectNode without = tree.deepCopy();
      without.remove(field);
      out.add(bytes(without));
      for (JsonNode odd : ODD_VALUES) {
        ObjectNode retyped = tree.deepCopy();
        retyped.set(field, odd);
        out.add(bytes(retyped));
      }
      // The same fields with this one last (payload before type, for one).
      ObjectNode moved = tree.deepCopy();
      JsonNode value = moved.remove(field);
      moved.set(field, value);
      out.add(bytes(moved));
      // Doubled: the field written twice.
      String text = new String(bytes(tree), StandardCharsets.UTF_8);
      out.add(("{\"" + field + "\":" + tree.get(field) + "," + text.substring(1)).getBytes(StandardCharsets.UTF_8));
    }
    ObjectNode unknown = tree.deepCopy();
    unknown.set("extra", TextNode.valueOf("x"));
    out.add(bytes(unknown));
    ObjectNode older = tree.deepCopy();
    older.put("schema_version", 1);
    out.add(bytes(older));
    ObjectNode payloadExtra = tree.deepCopy();
    ((ObjectNode) payloadExtra.get("payload")).put("extra", 1);
    out.add(bytes(payloadExtra));
    for (Iterator<String> it = tree.get("payload").fieldNames(); it.hasNext(); ) {
      String name = it.next();
      ObjectNode payloadMissing = tree.deepCopy();
      ((ObjectNode) payloadMissing.get("payload")).remove(name);
      out.add(bytes(payloadMissing));
      ObjectNode payloadRetyped = tree.deepCopy();
      ((ObjectNode) payloadRetyped.get("payload")).set(name, ODD_VALUES[random.nextInt(ODD_VALUES.length)]);
      out.add(bytes(payloadRetyped));
    }
    out.add((new String(valid, StandardCharsets.UTF_8) + " {}").getBytes(StandardCharsets.UTF_8));
    out.add((" " + new String(valid, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8));
    for (int i = 0; i < 40; i++) {
      byte[] flipped = valid.clone();
      String noise = " {}[],:\"0a\\-.";
      flipped[random.nextInt(flipped.length)] = (byte) noise.charAt(random.nextInt(noise.length()));
      out.add(flipped);
    }
    return out;
  }

  private static byte[] bytes(JsonNode tree) {
    return tree.toString().getBytes(StandardCharsets.UTF_8);
  }
}
