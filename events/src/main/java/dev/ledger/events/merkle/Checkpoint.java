package dev.ledger.events.merkle;

import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.util.Arrays;
import java.util.Base64;
import java.util.regex.Pattern;

/**
 * A tree head in the C2SP checkpoint format (https://c2sp.org/tlog-checkpoint): the body
 * {@code "<origin>\n<size>\n<base64 root>\n"}, published as a {@link SignedNote}. The origin names the log
 * uniquely; the signature commits to origin, size and root together, which is where a proof's tree size is
 * authenticated.
 */
public record Checkpoint(String origin, long size, byte[] root) {
  private static final Pattern DECIMAL = Pattern.compile("0|[1-9][0-9]{0,18}");

  public Checkpoint {
    if (origin == null || origin.isBlank() || origin.contains("\n") || !origin.strip().equals(origin)) {
      throw new IllegalArgumentException("a checkpoint origin is one non-blank line: " + origin);
    }
    if (size < 0) {
      throw new IllegalArgumentException("tree size must not be negative: " + size);
    }
    MerkleHash.requireHash(root, "root");
    root = root.clone();
  }

  @Override
  public byte[] root() {
    return root.clone();
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof Checkpoint c && c.origin.equals(origin) && c.size == size && Arrays.equals(c.root, root);
  }

  @Override
  public int hashCode() {
    return 31 * (31 * origin.hashCode() + Long.hashCode(size)) + Arrays.hashCode(root);
  }

  @Override
  public String toString() {
    return "Checkpoint[" + body().replace("\n", " ").strip() + "]";
  }

  /** The note text that is signed. */
  public String body() {
    return origin + "\n" + size + "\n" + Base64.getEncoder().encodeToString(root) + "\n";
  }

  /** This checkpoint signed by the key named {@code keyName}: the full note text. */
  public String sign(String keyName, PrivateKey privateKey, PublicKey publicKey) {
    return SignedNote.sign(body(), keyName, privateKey, publicKey);
  }

  /** The checkpoint a note carries, after its signature by {@code key} verified; {@link InvalidNoteException} else. */
  public static Checkpoint open(String note, SignedNote.VerifierKey key) {
    return parse(SignedNote.open(note, key));
  }

  /** The checkpoint of a note body (extension lines after the root are allowed and ignored). */
  public static Checkpoint parse(String body) {
    if (body == null || !body.endsWith("\n")) {
      throw new InvalidNoteException("a checkpoint body ends with a newline");
    }
    String[] lines = body.split("\n", -1);
    if (lines.length < 4) {
      throw new InvalidNoteException("a checkpoint body has an origin, a size and a root line");
    }
    if (!DECIMAL.matcher(lines[1]).matches()) {
      throw new InvalidNoteException("the tree size of a checkpoint is a decimal number: " + lines[1]);
    }
    byte[] root;
    try {
      root = Base64.getDecoder().decode(lines[2].getBytes(StandardCharsets.US_ASCII));
    } catch (IllegalArgumentException e) {
      throw new InvalidNoteException("the root of a checkpoint is base64: " + lines[2]);
    }
    if (!MerkleHash.isHash(root)) {
      throw new InvalidNoteException("the root of a checkpoint is a 32-byte hash");
    }
    try {
      return new Checkpoint(lines[0], Long.parseLong(lines[1]), root);
    } catch (IllegalArgumentException e) {
      throw new InvalidNoteException(e.getMessage());
    }
  }
}
