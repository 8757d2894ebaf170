package dev.ledger.events.crypto;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ledger.events.CanonicalJson;
import dev.ledger.events.Envelope;
import dev.ledger.events.EventSerde;
import dev.ledger.events.InvalidKeyMaterialException;
import dev.ledger.events.InvalidSignatureException;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.interfaces.EdECPrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;
import org.bouncycastle.math.ec.rfc8032.Ed25519;

/**
 * Ed25519 keys of appliances and signatures of envelopes. The signed bytes are the canonical JSON of the envelope
 * without its {@code signature} field; the signature travels base64-encoded in that field. Public keys are text as
 * base64 of X.509 (what {@code appliance.registered} carries), private keys as base64 of PKCS#8.
 *
 * <p>Keys are JDK {@code Ed25519} keys; signing and verifying run on Bouncy Castle's Ed25519, which is the same
 * RFC 8032 algorithm (byte-identical signatures) but several times faster than the JDK's on this hardware: the
 * bridge signs every event and the stream processor verifies every bundle, so this is the hot path.
 */
public final class Signing {

  private static final String ALGORITHM = "Ed25519";
  private static final int X509_ED25519_LENGTH = 44;
  /** The fixed X.509 SubjectPublicKeyInfo header of an Ed25519 key (OID 1.3.101.112), before its 32 bytes. */
  private static final byte[] X509_ED25519_PREFIX =
      {0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00};

  private Signing() {
  }

  /** A new random Ed25519 key pair. */
  public static KeyPair generateKeyPair() {
    try {
      return KeyPairGenerator.getInstance(ALGORITHM).generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("this JDK has no Ed25519", e);
    }
  }

  public static String encodePublicKey(PublicKey key) {
    return Base64.getEncoder().encodeToString(key.getEncoded());
  }

  public static String encodePrivateKey(PrivateKey key) {
    return Base64.getEncoder().encodeToString(key.getEncoded());
  }

  /** The key in base64 X.509 text; {@link InvalidKeyMaterialException} if it is not an Ed25519 public key. */
  public static PublicKey decodePublicKey(String base64) {
    try {
      return KeyFactory.getInstance(ALGORITHM).generatePublic(new X509EncodedKeySpec(decode(base64)));
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      throw new InvalidKeyMaterialException("not a base64 X.509 Ed25519 public key", e);
    }
  }

  /** The key in base64 PKCS#8 text; {@link InvalidKeyMaterialException} if it is not an Ed25519 private key. */
  public static PrivateKey decodePrivateKey(String base64) {
    try {
      return KeyFactory.getInstance(ALGORITHM).generatePrivate(new PKCS8EncodedKeySpec(decode(base64)));
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      throw new InvalidKeyMaterialException("not a base64 PKCS#8 Ed25519 private key", e);
    }
  }

  /** The envelope with its signature made by this private key (any earlier signature is replaced). */
  public static Envelope sign(Envelope envelope, PrivateKey key) {
    byte[] message = signedBytes(EventSerde.toTree(envelope));
    Ed25519Signer signer = new Ed25519Signer();
    signer.init(true, privateParameters(key));
    signer.update(message, 0, message.length);
    return envelope.withSignature(Base64.getEncoder().encodeToString(signer.generateSignature()));
  }

  private static Ed25519PrivateKeyParameters privateParameters(PrivateKey key) {
    if (!(key instanceof EdECPrivateKey edec) || edec.getBytes().isEmpty()) {
      throw new IllegalArgumentException("cannot sign with this key: not an Ed25519 private key");
    }
    return new Ed25519PrivateKeyParameters(edec.getBytes().get(), 0);
  }

  /** The raw 32-byte public key: the last 32 bytes of its X.509 encoding (a fixed 12-byte header precedes them). */
  private static Ed25519PublicKeyParameters publicParameters(PublicKey key) {
    byte[] encoded = key.getEncoded();
    if (!ALGORITHM.equalsIgnoreCase(key.getAlgorithm()) && !"EdDSA".equalsIgnoreCase(key.getAlgorithm())
        || encoded == null || encoded.length != X509_ED25519_LENGTH) {
      throw new IllegalArgumentException("not an Ed25519 public key");
    }
    return new Ed25519PublicKeyParameters(encoded, X509_ED25519_LENGTH - Ed25519PublicKeyParameters.KEY_SIZE);
  }

  /** The 64-byte Ed25519 signature of raw bytes (signed notes, manifests) by this private key. */
  public static byte[] signBytes(byte[] message, PrivateKey key) {
    Ed25519Signer signer = new Ed25519Signer();
    signer.init(true, privateParameters(key));
    signer.update(message, 0, message.length);
    return signer.generateSignature();
  }

  /** Whether {@code signature} is a valid Ed25519 signature of the raw bytes by this key; false on any bad input. */
  public static boolean verifyBytes(byte[] message, byte[] signature, PublicKey key) {
    if (message == null || signature == null || signature.length != Ed25519.SIGNATURE_SIZE) {
      return false;
    }
    try {
      Ed25519Signer verifier = new Ed25519Signer();
      verifier.init(false, publicParameters(key));
      verifier.update(message, 0, message.length);
      return verifier.verifySignature(signature);
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  /** The raw 32-byte Ed25519 public key (RFC 8032 encoding) of a key. */
  public static byte[] rawPublicKey(PublicKey key) {
    return publicParameters(key).getEncoded();
  }

  /** The Ed25519 public key of its raw 32 bytes; {@link InvalidKeyMaterialException} if it is not one. */
  public static PublicKey publicKeyOfRaw(byte[] raw) {
    if (raw == null || raw.length != Ed25519PublicKeyParameters.KEY_SIZE) {
      throw new InvalidKeyMaterialException("an Ed25519 public key is 32 bytes", null);
    }
    byte[] x509 = new byte[X509_ED25519_LENGTH];
    System.arraycopy(X509_ED25519_PREFIX, 0, x509, 0, X509_ED25519_PREFIX.length);
    System.arraycopy(raw, 0, x509, X509_ED25519_PREFIX.length, raw.length);
    try {
      return KeyFactory.getInstance(ALGORITHM).generatePublic(new X509EncodedKeySpec(x509));
    } catch (GeneralSecurityException e) {
      throw new InvalidKeyMaterialException("not an Ed25519 public key", e);
    }
  }

  /** Whether the envelope carries a valid signature of this public key. */
  public static boolean verify(Envelope envelope, PublicKey key) {
    return verifyTree(EventSerde.toTree(envelope), key);
  }

  /**
   * Whether the serialized envelope carries a valid signature of this public key. Checks the bytes as they were
   * signed, so it also holds for envelopes of older schema versions, which reading upcasts. Throws
   * {@link dev.ledger.events.MalformedEventException} if the bytes are not JSON.
   */
  public static boolean verify(byte[] serializedEnvelope, PublicKey key) {
    return verifyTree(EventSerde.parse(serializedEnvelope), key);
  }

  /** Throws {@link InvalidSignatureException} unless the serialized envelope is signed by this key. */
  public static void requireValid(byte[] serializedEnvelope, PublicKey key) {
    if (!verify(serializedEnvelope, key)) {
      throw new InvalidSignatureException("the envelope is unsigned or its signature does not verify");
    }
  }

  /** The bytes that are signed: the canonical JSON of the envelope tree without its signature field. */
  public static byte[] signedBytes(JsonNode envelopeTree) {
    ObjectNode unsigned = ((ObjectNode) envelopeTree).deepCopy();
    unsigned.remove("signature");
    return CanonicalJson.bytes(unsigned);
  }

  private static boolean verifyTree(JsonNode tree, PublicKey key) {
    if (!tree.isObject() || !tree.path("signature").isTextual()) {
      return false;
    }
    try {
      byte[] signature = Base64.getDecoder().decode(tree.get("signature").asText());
      if (signature.length != Ed25519.SIGNATURE_SIZE) {
        return false;
      }
      byte[] message = signedBytes(tree);
      Ed25519Signer verifier = new Ed25519Signer();
      verifier.init(false, publicParameters(key));
      verifier.update(message, 0, message.length);
      return verifier.verifySignature(signature);
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  private static byte[] decode(String base64) {
    if (base64 == null) {
      throw new IllegalArgumentException("no key text");
    }
    return Base64.getDecoder().decode(base64.strip());
  }
}
