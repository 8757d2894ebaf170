package dev.ledger.events.merkle;

import dev.ledger.events.InvalidKeyMaterialException;
import dev.ledger.events.crypto.Hashing;
import dev.ledger.events.crypto.Signing;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;

/**
 * C2SP signed notes (https://c2sp.org/signed-note) with Ed25519 keys. A note is its text (non-empty, ending in a
 * newline), a blank line, and signature lines {@code "— <key name> <base64(key hash || signature)>"}; the signature
 * is Ed25519 over the text bytes; the key hash is the first 4 bytes of
 * {@code SHA-256(key name || 0x0A || 0x01 || 32-byte public key)}. A verifier key is written
 * {@code <name>+<hex key hash>+<base64(0x01 || public key)>}, as Go's {@code golang.org/x/mod/sumdb/note} does.
 */
public final class SignedNote {
  /** Ed25519 signature type byte of signed-note keys. */
  static final byte ED25519 = 0x01;
  private static final String SIGNATURE_PREFIX = "\u2014 ";
  private static final int KEY_HASH_SIZE = 4;

  /** A key that verifies notes: its name and Ed25519 public key. */
  public record VerifierKey(String name, PublicKey publicKey) {

    public VerifierKey {
      requireName(name);
      keyHash(name, publicKey);
    }

    /** The text form {@code <name>+<hex key hash>+<base64(0x01 || public key)>}. */
    public String text() {
      byte[] typed = typedKey(publicKey);
      return name + "+" + HexFormat.of().formatHex(keyHash(name, publicKey)) + "+"
          + Base64.getEncoder().encodeToString(typed);
    }

    /** The key of its text form; {@link InvalidKeyMaterialException} if it is malformed or its hash disagrees. */
    public static VerifierKey parse(String text) {
      String[] parts = text == null ? new String[0] : text.strip().split("\\+", 3);
      if (parts.length != 3 || parts[1].length() != 2 * KEY_HASH_SIZE) {
        throw new InvalidKeyMaterialException("a verifier key is <name>+<8 hex digits>+<base64 key>", null);
      }
      byte[] typed;
      try {
        typed = Base64.getDecoder().decode(parts[2]);
      } catch (IllegalArgumentException e) {
        throw new InvalidKeyMaterialException("the key of a verifier key is not base64", e);
      }
      if (typed.length != 33 || typed[0] != ED25519) {
        throw new InvalidKeyMaterialException("only Ed25519 verifier keys (type 0x01, 32 bytes) are supported", null);
      }
      VerifierKey key = new VerifierKey(parts[0], Signing.publicKeyOfRaw(Arrays.copyOfRange(typed, 1, 33)));
      if (!HexFormat.of().formatHex(keyHash(key.name, key.publicKey)).equals(parts[1].toLowerCase())) {
        throw new InvalidKeyMaterialException("the key hash of the verifier key does not match its key", null);
      }
      return key;
    }
  }

  private SignedNote() {
  }

  /** The note: {@code text}, a blank line and the signature line of {@code keyName}'s key. */
  public static String sign(String text, String keyName, PrivateKey privateKey, PublicKey publicKey) {
    requireText(text);
    requireName(keyName);
    byte[] signature = Signing.signBytes(text.getBytes(StandardCharsets.UTF_8), privateKey);
    byte[] blob = ByteBuffer.allocate(KEY_HASH_SIZE + signature.length)
        .put(keyHash(keyName, publicKey)).put(signature).array();
    return text + "\n" + SIGNATURE_PREFIX + keyName + " " + Base64.getEncoder().encodeToString(blob) + "\n";
  }

  /**
   * The text of the note if it carries a valid signature of {@code key} (other signatures are ignored);
   * {@link InvalidNoteException} saying why otherwise.
   */
  public static String open(String note, VerifierKey key) {
    if (note == null) {
      throw new InvalidNoteException("no note");
    }
    int split = note.lastIndexOf("\n\n");
    if (split < 0) {
      throw new InvalidNoteException("a signed note has its text, a blank line, then signature lines");
    }
    String text = note.substring(0, split + 1);
    String signatures = note.substring(split + 2);
    if (signatures.isEmpty() || !signatures.endsWith("\n")) {
      throw new InvalidNoteException("a signed note ends with signature lines, each ending in a newline");
    }
    byte[] wantHash = keyHash(key.name(), key.publicKey());
    boolean named = false;
    for (String line : signatures.substring(0, signatures.length() - 1).split("\n", -1)) {
      if (!line.startsWith(SIGNATURE_PREFIX)) {
        throw new InvalidNoteException("a signature line starts with an em dash and a space: " + line);
      }
      String[] parts = line.substring(SIGNATURE_PREFIX.length()).split(" ", -1);
      if (parts.length != 2) {
        throw new InvalidNoteException("a signature line is '\u2014 <name> <base64>': " + line);
      }
      if (!parts[0].equals(key.name())) {
        continue;
      }
      named = true;
      byte[] blob;
      try {
        blob = Base64.getDecoder().decode(parts[1]);
      } catch (IllegalArgumentException e) {
        throw new InvalidNoteException("the signature of " + key.name() + " is not base64");
      }
      if (blob.length == KEY_HASH_SIZE + 64
          && Arrays.equals(Arrays.copyOf(blob, KEY_HASH_SIZE), wantHash)
          && Signing.verifyBytes(text.getBytes(StandardCharsets.UTF_8),
              Arrays.copyOfRange(blob, KEY_HASH_SIZE, blob.length), key.publicKey())) {
        return text;
      }
    }
    throw new InvalidNoteException(named
        ? "the signature of " + key.name() + " does not verify"
        : "the note carries no signature of " + key.name());
  }

  /** The 4-byte key hash of an Ed25519 key: the start of SHA-256(name || 0x0A || 0x01 || public key). */
  public static byte[] keyHash(String keyName, PublicKey publicKey) {
    byte[] name = keyName.getBytes(StandardCharsets.UTF_8);
    byte[] typed = typedKey(publicKey);
    byte[] input = ByteBuffer.allocate(name.length + 1 + typed.length).put(name).put((byte) '\n').put(typed).array();
    return Arrays.copyOf(Hashing.sha256(input), KEY_HASH_SIZE);
  }

  private static byte[] typedKey(PublicKey publicKey) {
    byte[] raw = Signing.rawPublicKey(publicKey);
    byte[] typed = new byte[raw.length + 1];
    typed[0] = ED25519;
    System.arraycopy(raw, 0, typed, 1, raw.length);
    return typed;
  }

  private static void requireName(String name) {
    if (name == null || name.isEmpty() || name.contains("+") || name.codePoints().anyMatch(
        c -> Character.isWhitespace(c) || Character.isISOControl(c))) {
      throw new IllegalArgumentException("a key name is non-empty, without spaces or '+': " + name);
    }
  }

  private static void requireText(String text) {
    if (text == null || text.isEmpty() || !text.endsWith("\n")) {
      throw new IllegalArgumentException("the text of a note is non-empty and ends with a newline");
    }
  }
}
