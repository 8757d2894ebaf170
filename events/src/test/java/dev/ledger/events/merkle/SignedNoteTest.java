package dev.ledger.events.merkle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ledger.events.InvalidKeyMaterialException;
import dev.ledger.events.crypto.Signing;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** Signed notes against the example of Go's golang.org/x/mod/sumdb/note (an independent implementation). */
class SignedNoteTest {
  private static final String GO_VERIFIER = "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW";
  private static final String GO_SIGNER_KEY = "AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz";
  private static final String GO_TEXT = "If you think cryptography is the answer to your problem,\n"
      + "then you don't know what your problem is.\n";
  private static final String GO_NOTE = GO_TEXT + "\n\u2014 PeterNeumann "
      + "x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n";

  @Test
  void signingReproducesTheGoNoteByteForByte() throws Exception {
    SignedNote.VerifierKey key = SignedNote.VerifierKey.parse(GO_VERIFIER);
    assertThat(key.name()).isEqualTo("PeterNeumann");
    assertThat(key.text()).isEqualTo(GO_VERIFIER);
    assertThat(HexFormat.of().formatHex(SignedNote.keyHash("PeterNeumann", key.publicKey()))).isEqualTo("c74f20a3");
    assertThat(SignedNote.sign(GO_TEXT, "PeterNeumann", goPrivateKey(), key.publicKey())).isEqualTo(GO_NOTE);
    assertThat(SignedNote.open(GO_NOTE, key)).isEqualTo(GO_TEXT);
  }

  @Test
  void aChangedTextOrSignatureOrKeyIsRefused() {
    SignedNote.VerifierKey key = SignedNote.VerifierKey.parse(GO_VERIFIER);
    assertThatThrownBy(() -> SignedNote.open(GO_NOTE.replace("cryptography", "cryptographY"), key))
        .isInstanceOf(InvalidNoteException.class).hasMessageContaining("does not verify");
    assertThatThrownBy(() -> SignedNote.open(GO_NOTE.replace("x08go", "x08gp"), key))
        .isInstanceOf(InvalidNoteException.class);
    KeyPair other = Signing.generateKeyPair();
    SignedNote.VerifierKey otherKey = new SignedNote.VerifierKey("PeterNeumann", other.getPublic());
    assertThatThrownBy(() -> SignedNote.open(GO_NOTE, otherKey)).isInstanceOf(InvalidNoteException.class);
    SignedNote.VerifierKey otherName = new SignedNote.VerifierKey("EnochRoot", key.publicKey());
    assertThatThrownBy(() -> SignedNote.open(GO_NOTE, otherName))
        .isInstanceOf(InvalidNoteException.class).hasMessageContaining("no signature of EnochRoot");
    assertThatThrownBy(() -> SignedNote.open(GO_TEXT, key)).isInstanceOf(InvalidNoteException.class);
    assertThatThrownBy(() -> SignedNote.VerifierKey.parse(GO_VERIFIER.replace("c74f20a3", "c74f20a4")))
        .isInstanceOf(InvalidKeyMaterialException.class);
  }

  @Test
  void aCheckpointRoundTripsThroughItsSignedNote() {
    KeyPair pair = Signing.generateKeyPair();
    byte[] root = new byte[32];
    Arrays.fill(root, (byte) 7);
    Checkpoint checkpoint = new Checkpoint("compliance-ledger/evidence/site-1", 42, root);
    assertThat(checkpoint.body()).isEqualTo("compliance-ledger/evidence/site-1\n42\n"
        + Base64.getEncoder().encodeToString(root) + "\n");
    String note = checkpoint.sign("compliance-ledger", pair.getPrivate(), pair.getPublic());
    SignedNote.VerifierKey key = new SignedNote.VerifierKey("compliance-ledger", pair.getPublic());
    assertThat(Checkpoint.open(note, key)).isEqualTo(checkpoint);
    assertThat(Checkpoint.open(note, SignedNote.VerifierKey.parse(key.text()))).isEqualTo(checkpoint);
    String forged = note.replace("\n42\n", "\n43\n");
    assertThatThrownBy(() -> Checkpoint.open(forged, key)).isInstanceOf(InvalidNoteException.class);
    assertThatThrownBy(() -> Checkpoint.parse("origin\n042\n" + Base64.getEncoder().encodeToString(root) + "\n"))
        .isInstanceOf(InvalidNoteException.class);
  }

  private static PrivateKey goPrivateKey() throws Exception {
    byte[] typed = Base64.getDecoder().decode(GO_SIGNER_KEY);
    byte[] seed = Arrays.copyOfRange(typed, 1, 33);
    byte[] pkcs8 = HexFormat.of().parseHex("302e020100300506032b657004220420" + HexFormat.of().formatHex(seed));
    return KeyFactory.getInstance("Ed25519").generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
  }
}
