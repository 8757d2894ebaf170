package dev.ledger.bridge;

import dev.ledger.events.Envelope;
import dev.ledger.events.EventSerde;
import dev.ledger.events.LedgerEvent;
import dev.ledger.events.crypto.KeyFiles;
import dev.ledger.events.crypto.Signing;
import dev.ledger.events.kafka.Topics;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The appliance's Ed25519 identity: a key pair made on first run and kept in {@code appliance.key} (PKCS#8, readable
 * by the owner only) and {@code appliance.pub} (X.509), and the signing of every envelope the bridge emits.
 */
public final class Identity {
  static final String PRIVATE_FILE = "appliance.key";
  static final String PUBLIC_FILE = "appliance.pub";

  private final String siteId;
  private final String applianceId;
  private final PrivateKey privateKey;
  private final PublicKey publicKey;
  /** Canonical JSON of this bridge's envelopes begins so: appliance_id sorts first and is always present. */
  private static final byte[] CANONICAL_START = "{\"appliance_id\":".getBytes(StandardCharsets.US_ASCII);

  private Identity(String siteId, String applianceId, KeyPair keys) {
    this.siteId = siteId;
    this.applianceId = applianceId;
    this.privateKey = keys.getPrivate();
    this.publicKey = keys.getPublic();
  }

  /** The identity kept in {@code dir}, made there first if there is none. */
  public static Identity loadOrCreate(Path dir, String siteId, String applianceId) {
    return new Identity(siteId, applianceId, KeyFiles.loadOrCreate(dir, PRIVATE_FILE, PUBLIC_FILE));
  }

  public String publicKeyText() {
    return Signing.encodePublicKey(publicKey);
  }

  public PublicKey publicKey() {
    return publicKey;
  }

  String siteId() {
    return siteId;
  }

  String applianceId() {
    return applianceId;
  }

  /**
   * A new envelope of this appliance carrying {@code event} as the bytes its signature will cover (canonical JSON
   * without a signature field), with its topic and key: the outbox keeps these and the relay signs a run of them at
   * once on the way out ({@link #signBatch}). Ed25519 is deterministic, so a re-send of the same run after a crash
   * carries the very same bytes. Signing stays off the acknowledgement path.
   */
  Outgoing unsigned(LedgerEvent event, Instant occurredAt) {
    Envelope envelope = Envelope.of(siteId, applianceId, occurredAt, event);
    var record = Topics.record(envelope);
    return new Outgoing(envelope.eventId(), envelope.type(), record.topic(), record.key(),
        Signing.signedBytes(EventSerde.toTree(envelope)));
  }

  /**
   * The wire bytes of outbox payloads made by {@link #unsigned}, in order, under one batch signature
   * ({@link Signing#signBatch}): each envelope verifies alone.
   */
  List<byte[]> signBatch(List<byte[]> unsignedEnvelopes) {
    List<byte[]> signedBytes = unsignedEnvelopes.stream().map(Identity::signedBytesOf).toList();
    List<String> signatures = Signing.signBatch(signedBytes, privateKey);
    List<byte[]> out = new ArrayList<>(signedBytes.size());
    for (int i = 0; i < signedBytes.size(); i++) {
      out.add(Signing.withSignature(signedBytes.get(i), signatures.get(i)));
    }
    return out;
  }

  /**
   * The signed bytes of an outbox payload: the payload itself, which starts with the first key of canonical JSON,
   * or for rows written by bridges before 0.1 (the envelope in field order, with a null signature) its canonical
   * form.
   */
  private static byte[] signedBytesOf(byte[] payload) {
    return startsWith(payload, CANONICAL_START) ? payload : Signing.signedBytes(EventSerde.parse(payload));
  }

  private static boolean startsWith(byte[] bytes, byte[] prefix) {
    return bytes.length >= prefix.length
        && java.util.Arrays.equals(bytes, 0, prefix.length, prefix, 0, prefix.length);
  }

  /** A new envelope of this appliance carrying {@code event}, signed and serialized, with its topic and key. */
  Outgoing seal(LedgerEvent event, Instant occurredAt) {
    Envelope signed = Signing.sign(Envelope.of(siteId, applianceId, occurredAt, event), privateKey);
    var record = Topics.record(signed);
    return new Outgoing(signed.eventId(), signed.type(), record.topic(), record.key(), EventSerde.serialize(signed));
  }
}
