package dev.ledger.events.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ledger.events.Envelope;
import dev.ledger.events.EventSamples;
import dev.ledger.events.EventSerde;
import dev.ledger.events.EventTypes;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BatchSignatureTest {

  private static final PublicKey PUBLIC = Signing.decodePublicKey(EventSamples.PUBLIC_KEY);
  private static final PrivateKey PRIVATE = Signing.decodePrivateKey(EventSamples.PRIVATE_KEY);

  /** {@code n} distinct unsigned envelopes as their signed bytes (canonical JSON without a signature). */
  private static List<byte[]> batch(int n) {
    List<byte[]> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      Envelope e = EventSamples.envelope(EventTypes.byName("incident.detected"));
      out.add(Signing.signedBytes(EventSerde.toTree(Envelope.of(e.siteId(), e.applianceId(),
          e.occurredAt().plusSeconds(i), e.payload()))));
    }
    return out;
  }

  private static List<byte[]> signed(List<byte[]> unsigned, PrivateKey key) {
    List<String> signatures = Signing.signBatch(unsigned, key);
    List<byte[]> out = new ArrayList<>();
    for (int i = 0; i < unsigned.size(); i++) {
      out.add(Signing.withSignature(unsigned.get(i), signatures.get(i)));
    }
    return out;
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 2, 3, 7, 32, 33})
  void everyEnvelopeOfABatchVerifiesAlone(int size) {
    Signing.KeyVerifier decodedOnce = Signing.keyVerifier(PUBLIC);
    for (byte[] envelope : signed(batch(size), PRIVATE)) {
      assertThat(Signing.verify(envelope, decodedOnce)).isTrue();
      assertThat(Signing.verify(envelope, PUBLIC)).isTrue();
      // The added field makes a valid envelope that reads back whole.
      assertThat(Signing.verify(EventSerde.deserialize(envelope), PUBLIC)).isTrue();
    }
  }

  @Test
  void oneEd25519SignatureCoversTheBatch() {
    List<byte[]> envelopes = signed(batch(5), PRIVATE);
    byte[] first = Base64.getDecoder().decode(EventSerde.deserialize(envelopes.get(0)).signature());
    byte[] last = Base64.getDecoder().decode(EventSerde.deserialize(envelopes.get(4)).signature());

    BatchSignature a = BatchSignature.decode(first);
    BatchSignature b = BatchSignature.decode(last);
    assertThat(a.signature()).isEqualTo(b.signature());
    assertThat(a.root()).isEqualTo(b.root());
    assertThat(List.of(a.index(), a.size(), b.index(), b.size())).containsExactly(0, 5, 4, 5);
  }

  @Test
  void aChangedEnvelopeOrAnotherKeyDoesNotVerify() {
    byte[] envelope = signed(batch(4), PRIVATE).get(2);
    ObjectNode tree = (ObjectNode) EventSerde.parse(envelope);
    ObjectNode otherHost = tree.deepCopy();
    ((ObjectNode) otherHost.get("payload")).put("hostname", "another-host");
    KeyPair other = Signing.generateKeyPair();

    assertThat(Signing.verify(bytes(otherHost), PUBLIC)).isFalse();
    assertThat(Signing.verify(envelope, other.getPublic())).isFalse();
    assertThat(Signing.verify(signed(batch(4), other.getPrivate()).get(2), PUBLIC)).isFalse();
  }

  @Test
  void aProofMovedToAnotherEnvelopeOfTheBatchDoesNotVerify() {
    List<byte[]> unsigned = batch(4);
    List<String> signatures = Signing.signBatch(unsigned, PRIVATE);

    assertThat(Signing.verify(Signing.withSignature(unsigned.get(1), signatures.get(2)), PUBLIC)).isFalse();
    assertThat(Signing.verify(Signing.withSignature(unsigned.get(1), signatures.get(1)), PUBLIC)).isTrue();
  }

  @Test
  void aForgedRootOrPathOrIndexDoesNotVerify() {
    List<byte[]> unsigned = batch(6);
    String good = Signing.signBatch(unsigned, PRIVATE).get(3);
    byte[] raw = Base64.getDecoder().decode(good);

    for (int at : new int[] {2, 4, 5 + 64, raw.length - 1}) { // index, size, root, last path hash
      byte[] forged = raw.clone();
      forged[at] ^= 1;
      String text = Base64.getEncoder().encodeToString(forged);
      assertThat(Signing.verify(Signing.withSignature(unsigned.get(3), text), PUBLIC)).as("byte %d", at).isFalse();
    }
    byte[] shortened = java.util.Arrays.copyOf(raw, raw.length - 32);
    assertThat(Signing.verify(Signing.withSignature(unsigned.get(3),
        Base64.getEncoder().encodeToString(shortened)), PUBLIC)).isFalse();
  }

  @Test
  void aBatchSignatureIsNotAPlainSignatureOfTheEnvelope() {
    // The root is signed under a domain prefix: the batch's Ed25519 signature, put where a plain one goes, fails.
    List<byte[]> unsigned = batch(1);
    byte[] batchSignature = BatchSignature.decode(Base64.getDecoder().decode(
        Signing.signBatch(unsigned, PRIVATE).get(0))).signature();
    String plain = Base64.getEncoder().encodeToString(batchSignature);

    assertThat(Signing.verify(Signing.withSignature(unsigned.get(0), plain), PUBLIC)).isFalse();
  }

  @Test
  void withSignatureRefusesWhatIsNotAnUnsignedEnvelope() {
    assertThatThrownBy(() -> Signing.withSignature("{}".getBytes(StandardCharsets.UTF_8), "AAAA"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Signing.withSignature(batch(1).get(0), "not base64!"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Signing.signBatch(List.of(), PRIVATE)).isInstanceOf(IllegalArgumentException.class);
  }

  private static byte[] bytes(ObjectNode tree) {
    return tree.toString().getBytes(StandardCharsets.UTF_8);
  }
}
