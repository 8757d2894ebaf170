package dev.ledger.events.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ledger.events.Envelope;
import dev.ledger.events.EventSamples;
import dev.ledger.events.EventSerde;
import dev.ledger.events.EventTypes;
import dev.ledger.events.InvalidKeyMaterialException;
import dev.ledger.events.InvalidSignatureException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.util.Arrays;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class SigningTest {

  private static final PublicKey PUBLIC = Signing.decodePublicKey(EventSamples.PUBLIC_KEY);
  private static final PrivateKey PRIVATE = Signing.decodePrivateKey(EventSamples.PRIVATE_KEY);
  private static final Envelope UNSIGNED = EventSamples.envelope(EventTypes.byName("evidence.submitted"));

  @Test
  void aSignedEnvelopeVerifiesAsRecordAndAsBytes() {
    Envelope signed = Signing.sign(UNSIGNED, PRIVATE);

    assertThat(Signing.verify(signed, PUBLIC)).isTrue();
    assertThat(Signing.verify(EventSerde.serialize(signed), PUBLIC)).isTrue();
    assertThat(Signing.verify(EventSerde.deserialize(EventSerde.serialize(signed)), PUBLIC)).isTrue();
  }

  @Test
  void theSignatureIsPinned() {
    // Ed25519 is deterministic: this pins the signed bytes (canonical JSON without "signature").
    assertThat(Signing.sign(UNSIGNED, PRIVATE).signature()).isEqualTo(
        "smQJQALi2cIpSiD8i1X+o18i9NJ4zdClqWEnfAmsv8v0d1kO6eAUbTZPw2UrCtHr+tndhiHKCk9OLuB1kssvCg==");
  }

  @Test
  void signaturesInteroperateWithTheJdkEd25519() throws GeneralSecurityException {
    // Signing runs on Bouncy Castle for speed; any RFC 8032 verifier (here the JDK's) must accept its output,
    // and a JDK signature must verify through Signing.
    KeyPair pair = Signing.generateKeyPair();
    Envelope signed = Signing.sign(UNSIGNED, pair.getPrivate());
    Signature jdk = Signature.getInstance("Ed25519");
    jdk.initVerify(pair.getPublic());
    jdk.update(Signing.signedBytes(EventSerde.toTree(signed)));
    assertThat(jdk.verify(Base64.getDecoder().decode(signed.signature()))).isTrue();

    jdk.initSign(pair.getPrivate());
    jdk.update(Signing.signedBytes(EventSerde.toTree(UNSIGNED)));
    Envelope jdkSigned = UNSIGNED.withSignature(Base64.getEncoder().encodeToString(jdk.sign()));
    assertThat(Signing.verify(jdkSigned, pair.getPublic())).isTrue();
    assertThat(jdkSigned.signature()).isEqualTo(signed.signature());
  }

  @Test
  void anyChangeToThePayloadOrMetadataBreaksTheSignature() {
    ObjectNode tree = (ObjectNode) EventSerde.toTree(Signing.sign(UNSIGNED, PRIVATE));

    ObjectNode otherSite = tree.deepCopy().put("site_id", "site-other");
    ObjectNode otherCheck = tree.deepCopy();
    ((ObjectNode) otherCheck.at("/payload/checks/1")).put("status", "pass");

    assertThat(Signing.verify(bytes(otherSite), PUBLIC)).isFalse();
    assertThat(Signing.verify(bytes(otherCheck), PUBLIC)).isFalse();
    assertThat(Signing.verify(bytes(tree), PUBLIC)).isTrue();
  }

  @Test
  void keyOrderAndWhitespaceOnTheWireDoNotMatter() {
    ObjectNode tree = (ObjectNode) EventSerde.toTree(Signing.sign(UNSIGNED, PRIVATE));
    ObjectNode reordered = EventSerde.mapper().createObjectNode();
    reordered.set("signature", tree.get("signature"));
    reordered.setAll(tree);

    assertThat(Signing.verify(reordered.toPrettyString().getBytes(StandardCharsets.UTF_8), PUBLIC)).isTrue();
  }

  @Test
  void anotherKeyOrNoSignatureDoesNotVerify() {
    KeyPair other = Signing.generateKeyPair();
    Envelope signed = Signing.sign(UNSIGNED, PRIVATE);

    assertThat(Signing.verify(signed, other.getPublic())).isFalse();
    assertThat(Signing.verify(UNSIGNED, PUBLIC)).isFalse();
    assertThat(Signing.verify(signed.withSignature("AAAA"), PUBLIC)).isFalse();
    assertThatThrownBy(() -> Signing.requireValid(EventSerde.serialize(UNSIGNED), PUBLIC))
        .isInstanceOfSatisfying(InvalidSignatureException.class,
            e -> assertThat(e.code()).isEqualTo("invalid_signature"));
  }

  @Test
  void anOldVersionVerifiesOnTheBytesItWasSignedAsNotOnItsUpcastForm() throws IOException {
    ObjectNode v1;
    try (InputStream in = SigningTest.class.getResourceAsStream("/upcast/incident.detected.v1.json")) {
      v1 = (ObjectNode) EventSerde.parse(in.readAllBytes());
    }
    // What an agent still writing version 1 sends.
    v1.put("signature", Base64.getEncoder().encodeToString(sign(Signing.signedBytes(v1))));
    byte[] wire = bytes(v1);

    assertThat(Signing.verify(wire, PUBLIC)).isTrue();
    assertThat(Signing.verify(EventSerde.deserialize(wire), PUBLIC)).isFalse();
  }

  @Test
  void keysRoundTripThroughTextAndBadTextIsRejected() {
    KeyPair pair = Signing.generateKeyPair();

    assertThat(Signing.decodePublicKey(Signing.encodePublicKey(pair.getPublic()))).isEqualTo(pair.getPublic());
    assertThat(Signing.decodePrivateKey(Signing.encodePrivateKey(pair.getPrivate())).getEncoded())
        .isEqualTo(pair.getPrivate().getEncoded());
    assertThatThrownBy(() -> Signing.decodePublicKey("not base64!"))
        .isInstanceOf(InvalidKeyMaterialException.class);
    assertThatThrownBy(() -> Signing.decodePublicKey(EventSamples.PRIVATE_KEY))
        .isInstanceOfSatisfying(InvalidKeyMaterialException.class,
            e -> assertThat(e.code()).isEqualTo("invalid_key"));
  }

  private static byte[] sign(byte[] bytes) {
    try {
      Signature signer = Signature.getInstance("Ed25519");
      signer.initSign(PRIVATE);
      signer.update(bytes);
      return signer.sign();
    } catch (GeneralSecurityException e) {
      throw new AssertionError(e);
    }
  }

  private static byte[] bytes(ObjectNode tree) {
    return tree.toString().getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void aKeyDecodedOnceVerifiesAsTheKeyDoes() {
    KeyPair pair = Signing.generateKeyPair();
    KeyPair other = Signing.generateKeyPair();
    byte[] message = "checkpoint\n".getBytes(StandardCharsets.UTF_8);
    byte[] signature = Signing.signBytes(message, pair.getPrivate());
    Signing.KeyVerifier verifier = Signing.keyVerifier(pair.getPublic());

    assertThat(verifier.verify(message, signature)).isTrue();
    assertThat(Signing.verifyBytes(message, signature, pair.getPublic())).isTrue();
    byte[] tampered = message.clone();
    tampered[0] ^= 1;
    assertThat(verifier.verify(tampered, signature)).isFalse();
    assertThat(Signing.keyVerifier(other.getPublic()).verify(message, signature)).isFalse();
    assertThat(verifier.verify(message, Arrays.copyOf(signature, 63))).isFalse();
    assertThat(verifier.verify(null, signature)).isFalse();
    assertThat(verifier.verify(message, null)).isFalse();
  }

  @Test
  void onlyAnEd25519KeyDecodesForVerifying() throws GeneralSecurityException {
    PublicKey rsa = java.security.KeyPairGenerator.getInstance("RSA").generateKeyPair().getPublic();
    assertThatThrownBy(() -> Signing.keyVerifier(rsa)).isInstanceOf(InvalidKeyMaterialException.class);
    assertThat(Signing.verify(EventSerde.serialize(Signing.sign(UNSIGNED, PRIVATE)), rsa)).isFalse();
  }
}
