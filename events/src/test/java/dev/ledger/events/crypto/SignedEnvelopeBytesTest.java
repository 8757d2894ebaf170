package dev.ledger.events.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ledger.events.CanonicalJson;
import dev.ledger.events.CheckStatus;
import dev.ledger.events.Envelope;
import dev.ledger.events.EventSamples;
import dev.ledger.events.EventSerde;
import dev.ledger.events.EventType;
import dev.ledger.events.EventTypes;
import dev.ledger.events.EvidenceCheck;
import dev.ledger.events.EvidenceSubmitted;
import dev.ledger.events.UuidV7;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The signed bytes written straight from an envelope's fields ({@code Signing.signedBytes(UUID, ...)}) are the
 * signed bytes of the envelope's canonical tree, for every event type and for text that needs escaping.
 */
class SignedEnvelopeBytesTest {

  private static final String[] AWKWARD = {"plain", "quote \" and backslash \\", "tab\tnewline\ncr\r",
      "control \u0001\u001f", "héte — ✓", "emoji 😀", "</script>", "slash / and unicode escape \\u0041", ""};

  @Test
  void everyEventTypeGivesTheBytesOfItsCanonicalTree() {
    for (EventType type : EventTypes.all()) {
      Envelope e = EventSamples.envelope(type);
      assertSame(e);
      assertSame(e.withSignature(null));
    }
  }

  @Test
  void awkwardTextAndAbsentApplianceGiveTheBytesOfTheCanonicalTree() {
    Random random = new Random(42);
    for (int i = 0; i < 500; i++) {
      String text = AWKWARD[random.nextInt(AWKWARD.length)] + i;
      List<EvidenceCheck> checks = new ArrayList<>();
      for (int c = 0; c < 1 + random.nextInt(3); c++) {
        checks.add(new EvidenceCheck("check-" + text, c % 2 == 0 ? CheckStatus.PASS : CheckStatus.FAIL,
            random.nextBoolean() ? null : "host " + text, null, random.nextBoolean() ? null : "164.308 " + text));
      }
      Instant at = Instant.ofEpochSecond(1_700_000_000L + random.nextInt(100_000_000),
          random.nextBoolean() ? 0 : random.nextInt(1_000_000_000));
      EvidenceSubmitted bundle = new EvidenceSubmitted("bundle " + text, at, checks);
      String site = random.nextBoolean() ? "site-" + i : "site " + text;
      String appliance = random.nextInt(4) == 0 ? null : "app " + text;
      assertSame(Envelope.of(UuidV7.next(), site, appliance, at, bundle));
    }
  }

  private static void assertSame(Envelope e) {
    byte[] fromTree = Signing.signedBytes(EventSerde.parse(EventSerde.serialize(e)));
    byte[] fromFields = Signing.signedBytes(e.eventId(), e.type(), e.schemaVersion(), e.siteId(), e.applianceId(),
        e.occurredAt(), CanonicalJson.string(e.payload()));
    assertThat(new String(fromFields, java.nio.charset.StandardCharsets.UTF_8))
        .isEqualTo(new String(fromTree, java.nio.charset.StandardCharsets.UTF_8));
    assertThat(fromFields).isEqualTo(fromTree);
  }
}
