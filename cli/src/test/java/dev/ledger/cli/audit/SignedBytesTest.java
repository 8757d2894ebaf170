package dev.ledger.cli.audit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ledger.events.CanonicalJson;
import dev.ledger.events.CheckStatus;
import dev.ledger.events.Envelope;
import dev.ledger.events.EventSerde;
import dev.ledger.events.EvidenceCheck;
import dev.ledger.events.EvidenceSubmitted;
import dev.ledger.events.crypto.Signing;
import java.security.KeyPair;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The signed bytes audit verify rebuilds from PostgreSQL are the bytes the appliance signed. */
class SignedBytesTest {

  @Test
  void rebuiltFromTheStoredCanonicalBundleTheyAreTheSignedBytes() throws Exception {
    KeyPair keys = Signing.generateKeyPair();
    EvidenceSubmitted bundle = new EvidenceSubmitted("b-1", Instant.parse("2026-11-28T10:00:00.123456789Z"),
        List.of(new EvidenceCheck("backup", CheckStatus.PASS, "héte-1", EventSerde.mapper().readTree(
            "{\"bytes\":1.0E7,\"ratio\":0.25,\"z\":null,\"a\":[3,{\"y\":\"\\u2014\"}]}"), "164.308(a)(7)"),
            new EvidenceCheck("encryption", CheckStatus.FAIL, null, null, null)));
    Envelope signed = Signing.sign(Envelope.of("site-1", "app-1", bundle.checkedAt(), bundle), keys.getPrivate());
    // What the projector stores: canonical payload text and occurred_at text; what it reads back: the envelope.
    Envelope read = EventSerde.deserialize(EventSerde.serialize(signed));
    byte[] rebuilt = EvidenceVerifier.signedBytes(read.eventId(), read.schemaVersion(), read.siteId(),
        read.applianceId(), Instant.parse(read.occurredAt().toString()),
        CanonicalJson.string(read.payload()));

    assertThat(rebuilt).isEqualTo(Signing.signedBytes(EventSerde.parse(EventSerde.serialize(signed))));
    assertThat(Signing.verifyBytes(rebuilt, Base64.getDecoder().decode(signed.signature()), keys.getPublic()))
        .isTrue();
    byte[] otherSite = EvidenceVerifier.signedBytes(read.eventId(), read.schemaVersion(), "site-2",
        read.applianceId(), read.occurredAt(), CanonicalJson.string(read.payload()));
    assertThat(Signing.verifyBytes(otherSite, Base64.getDecoder().decode(signed.signature()), keys.getPublic()))
        .isFalse();
  }
}
