package dev.ledger.events.crypto;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ledger.events.CanonicalJson;
import dev.ledger.events.Envelope;
import dev.ledger.events.EventSerde;
import dev.ledger.events.InvalidKeyMaterialException;
import dev.ledger.events.InvalidSignatureException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.interfaces.EdECPrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.WeakHashMap;
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
 *
 * <p>A sender of many envelopes signs them in batches ({@link #signBatch}): one Ed25519 signature over the Merkle
 * root of the batch, and in each envelope the proof that ties it to that root ({@link BatchSignature}). Every
 * envelope still verifies alone with {@link #verify}, which accepts both forms and remembers the batch roots it
 * checked, so the batch-mates of a verified envelope cost two or three SHA-256 each.
 */
public final class Signing {

  private static final String ALGORITHM = "Ed25519";
  private static final int X509_ED25519_LENGTH = 44;
  /** The fixed X.509 SubjectPublicKeyInfo header of an Ed25519 key (OID 1.3.101.112), before its 32 bytes. */
  private static final byte[] X509_ED25519_PREFIX =
      {0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00};

  /** Bouncy Castle's form of each private key used, which keeps its public key: made once, not per signature. */
  private static final Map<PrivateKey, Ed25519PrivateKeyParameters> PRIVATE =
      Collections.synchronizedMap(new WeakHashMap<>());
  /** Batch signatures that verified: (public key, signature, root, size) → true. Bounded, least recent out. */
  private static final int VERIFIED_ROOTS = 4_096;
  private static final Map<ByteBuffer, Boolean> VERIFIED = Collections.synchronizedMap(
      new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<ByteBuffer, Boolean> eldest) {
          return size() > VERIFIED_ROOTS;
        }
      });

  /** The wire mapper's JSON factory: its generators escape text exactly as the canonical writer does. */
  private static final JsonFactory WIRE = EventSerde.mapper().getFactory();

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
    Ed25519PrivateKeyParameters known = PRIVATE.get(key);
    if (known != null) {
      return known;
    }
    if (!(key instanceof EdECPrivateKey edec) || edec.getBytes().isEmpty()) {
      throw new IllegalArgumentException("cannot sign with this key: not an Ed25519 private key");
    }
    Ed25519PrivateKeyParameters parameters = new Ed25519PrivateKeyParameters(edec.getBytes().get(), 0);
    parameters.generatePublicKey(); // computed once and kept; otherwise every signature computes it again
    PRIVATE.put(key, parameters);
    return parameters;
  }

  /**
   * The batch signatures of envelopes, in order, given their signed bytes ({@link #signedBytes}): one Ed25519
   * signature for all of them (at most 65,535). Put each into its envelope with {@link #withSignature}.
   */
  public static List<String> signBatch(List<byte[]> signedBytes, PrivateKey key) {
    return BatchSignature.sign(signedBytes, message -> signBytes(message, key));
  }

  /**
   * The serialized envelope of {@code unsignedEnvelope} (JSON of an envelope without a signature field, such as
   * {@link #signedBytes}) with {@code signature} added as its first field, without parsing it again.
   */
  public static byte[] withSignature(byte[] unsignedEnvelope, String signature) {
    if (unsignedEnvelope.length < 2 || unsignedEnvelope[0] != '{' || unsignedEnvelope[1] == '}') {
      throw new IllegalArgumentException("not the JSON of an envelope without a signature");
    }
    Base64.getDecoder().decode(signature); // throws IllegalArgumentException unless it is base64
    byte[] field = ("{\"signature\":\"" + signature + "\",").getBytes(StandardCharsets.US_ASCII);
    byte[] out = new byte[field.length + unsignedEnvelope.length - 1];
    System.arraycopy(field, 0, out, 0, field.length);
    System.arraycopy(unsignedEnvelope, 1, out, field.length, unsignedEnvelope.length - 1);
    return out;
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
      return verifyBytes(message, signature, publicParameters(key));
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  private static boolean verifyBytes(byte[] message, byte[] signature, Ed25519PublicKeyParameters key) {
    Ed25519Signer verifier = new Ed25519Signer();
    verifier.init(false, key);
    verifier.update(message, 0, message.length);
    return verifier.verifySignature(signature);
  }

  /**
   * A public key decoded once for many verifications: decoding and validating the curve point is about a tenth of
   * the cost of a verify, which {@link #verifyBytes(byte[], byte[], PublicKey)} pays every time.
   */
  public static final class KeyVerifier {
    private final Ed25519PublicKeyParameters key;
    private final byte[] raw;

    private KeyVerifier(Ed25519PublicKeyParameters key) {
      this.key = key;
      this.raw = key.getEncoded();
    }

    /** Whether {@code signature} is this key's Ed25519 signature of {@code message}. */
    public boolean verify(byte[] message, byte[] signature) {
      return message != null && signature != null && signature.length == Ed25519.SIGNATURE_SIZE
          && verifyBytes(message, signature, key);
    }
  }

  /** The key, decoded once; {@link InvalidKeyMaterialException} if it is not an Ed25519 public key. */
  public static KeyVerifier keyVerifier(PublicKey key) {
    try {
      return new KeyVerifier(publicParameters(key));
    } catch (IllegalArgumentException e) {
      throw new InvalidKeyMaterialException("not an Ed25519 public key", e);
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

  /** As {@link #verify(byte[], PublicKey)}, with a key decoded once for many envelopes. */
  public static boolean verify(byte[] serializedEnvelope, KeyVerifier key) {
    return verifyTree(EventSerde.parse(serializedEnvelope), key);
  }

  /** Throws {@link InvalidSignatureException} unless the serialized envelope is signed by this key. */
  public static void requireValid(byte[] serializedEnvelope, KeyVerifier key) {
    if (!verify(serializedEnvelope, key)) {
      throw new InvalidSignatureException("the envelope is unsigned or its signature does not verify");
    }
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

  /**
   * The bytes an envelope's signature covers, written straight from its fields around a payload that is already
   * canonical JSON (as the ledger stores signed payloads): byte for byte what {@link #signedBytes(JsonNode)} gives
   * for the same envelope, without building, copying and sorting a tree. For verifiers that check one stored
   * envelope after another ({@code ledger audit verify}); {@code SignedEnvelopeBytesTest} holds the two equal.
   */
  public static byte[] signedBytes(UUID eventId, String type, int schemaVersion, String siteId, String applianceId,
      Instant occurredAt, String canonicalPayload) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(canonicalPayload.length() + 256);
    // The envelope's fields in canonical (sorted) order; strings escaped by the wire mapper's own generator.
    try (JsonGenerator g = WIRE.createGenerator(out)) {
      g.writeStartObject();
      g.writeStringField("appliance_id", applianceId);
      g.writeStringField("event_id", eventId.toString());
      g.writeStringField("occurred_at", occurredAt.toString());
      g.writeFieldName("payload");
      g.writeRawValue(canonicalPayload);
      g.writeNumberField("schema_version", schemaVersion);
      g.writeStringField("site_id", siteId);
      g.writeStringField("type", type);
      g.writeEndObject();
    } catch (IOException e) {
      throw new IllegalStateException("cannot write the signed bytes of envelope " + eventId, e);
    }
    return out.toByteArray();
  }

  private static boolean verifyTree(JsonNode tree, PublicKey key) {
    KeyVerifier verifier;
    try {
      verifier = keyVerifier(key);
    } catch (InvalidKeyMaterialException e) {
      return false;
    }
    return verifyTree(tree, verifier);
  }

  private static boolean verifyTree(JsonNode tree, KeyVerifier key) {
    if (!tree.isObject() || !tree.path("signature").isTextual()) {
      return false;
    }
    try {
      byte[] signature = Base64.getDecoder().decode(tree.get("signature").asText());
      if (signature.length == Ed25519.SIGNATURE_SIZE) {
        return key.verify(signedBytes(tree), signature);
      }
      BatchSignature batch = BatchSignature.decode(signature);
      return batch != null && batch.includes(signedBytes(tree)) && verifyBatch(batch, key);
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  /** Whether the batch's root is signed by this key; remembered once it is. */
  private static boolean verifyBatch(BatchSignature batch, KeyVerifier key) {
    byte[] raw = key.raw;
    ByteBuffer id = ByteBuffer.allocate(raw.length + batch.signature().length + batch.root().length + 2)
        .put(raw).put(batch.signature()).put(batch.root()).putShort((short) batch.size()).flip();
    if (VERIFIED.containsKey(id)) {
      return true;
    }
    boolean valid = key.verify(BatchSignature.message(batch.size(), batch.root()), batch.signature());
    if (valid) {
      VERIFIED.put(id, Boolean.TRUE);
    }
    return valid;
  }

  private static byte[] decode(String base64) {
    if (base64 == null) {
      throw new IllegalArgumentException("no key text");
    }
    return Base64.getDecoder().decode(base64.strip());
  }
}
