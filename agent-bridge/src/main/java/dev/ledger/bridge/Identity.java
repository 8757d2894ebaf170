package dev.ledger.bridge;

import dev.ledger.events.Envelope;
import dev.ledger.events.EventSerde;
import dev.ledger.events.LedgerEvent;
import dev.ledger.events.crypto.KeyFiles;
import dev.ledger.events.crypto.Signing;
import dev.ledger.events.kafka.Topics;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.time.Instant;

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
   * A new envelope of this appliance carrying {@code event}, serialized WITHOUT its signature, with its topic and
   * key: the outbox keeps these and the relay signs them on the way out ({@link #sign(byte[])}). Ed25519 is
   * deterministic, so a re-send after a crash carries the very same bytes. Signing costs ~0.5 ms with the JDK's
   * Ed25519, 100 times the rest of a recording, so it stays off the acknowledgement path.
   */
  Outgoing unsigned(LedgerEvent event, Instant occurredAt) {
    Envelope envelope = Envelope.of(siteId, applianceId, occurredAt, event);
    var record = Topics.record(envelope);
    return new Outgoing(envelope.eventId(), envelope.type(), record.topic(), record.key(),
        EventSerde.serialize(envelope));
  }

  /** The signed serialized form of an envelope serialized by {@link #unsigned}. */
  byte[] sign(byte[] unsignedEnvelope) {
    return EventSerde.serialize(Signing.sign(EventSerde.deserialize(unsignedEnvelope), privateKey));
  }

  /** A new envelope of this appliance carrying {@code event}, signed and serialized, with its topic and key. */
  Outgoing seal(LedgerEvent event, Instant occurredAt) {
    Envelope signed = Signing.sign(Envelope.of(siteId, applianceId, occurredAt, event), privateKey);
    var record = Topics.record(signed);
    return new Outgoing(signed.eventId(), signed.type(), record.topic(), record.key(), EventSerde.serialize(signed));
  }
}
