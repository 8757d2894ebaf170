package dev.ledger.events.merkle;

import dev.ledger.events.crypto.KeyFiles;
import dev.ledger.events.crypto.Signing;
import java.io.IOException;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;

/**
 * The ledger's own Ed25519 key, which signs the checkpoints of the evidence logs (and anything else the ledger
 * attests). Kept in a directory as {@code ledger.key} (owner-only) and {@code ledger.pub}, made there on first use
 * ({@link KeyFiles}). Its {@link #name} is the signed-note key name and the start of every log origin.
 */
public final class LedgerKey {
  /** Directory of the key under a data directory. */
  public static final String DIRECTORY = "ledger-key";
  static final String PRIVATE_FILE = "ledger.key";
  static final String PUBLIC_FILE = "ledger.pub";

  private final String name;
  private final PrivateKey privateKey;
  private final PublicKey publicKey;

  public LedgerKey(String name, KeyPair keys) {
    this.name = name;
    this.privateKey = keys.getPrivate();
    this.publicKey = keys.getPublic();
    new SignedNote.VerifierKey(name, publicKey); // validates the name
  }

  /** The key kept in {@code dir}, made there first if there is none. */
  public static LedgerKey loadOrCreate(Path dir, String name) {
    return new LedgerKey(name, KeyFiles.loadOrCreate(dir, PRIVATE_FILE, PUBLIC_FILE));
  }

  /** The public key kept in {@code dir} (the private key is not read). */
  public static SignedNote.VerifierKey verifierIn(Path dir, String name) throws IOException {
    return new SignedNote.VerifierKey(name, KeyFiles.readPublic(dir.resolve(PUBLIC_FILE)));
  }

  public String name() {
    return name;
  }

  public PublicKey publicKey() {
    return publicKey;
  }

  /** What auditors need to check signatures: {@code <name>+<key hash>+<base64 key>}. */
  public SignedNote.VerifierKey verifier() {
    return new SignedNote.VerifierKey(name, publicKey);
  }

  /** The checkpoint as a signed note. */
  public String sign(Checkpoint checkpoint) {
    return checkpoint.sign(name, privateKey, publicKey);
  }

  /** Ed25519 signature of raw bytes (a manifest, say) by the ledger key. */
  public byte[] signBytes(byte[] message) {
    return Signing.signBytes(message, privateKey);
  }

  /** The origin of a site's evidence log under this ledger's name. */
  public String origin(String siteId) {
    return EvidenceLog.origin(name, siteId);
  }

  @Override
  public String toString() {
    return "LedgerKey[" + verifier().text() + "]";
  }
}
