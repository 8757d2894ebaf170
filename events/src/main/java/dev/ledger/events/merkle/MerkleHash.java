package dev.ledger.events.merkle;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * RFC 9162 §2.1.1 hashing with SHA-256: a leaf is {@code SHA-256(0x00 || data)}, an interior node is
 * {@code SHA-256(0x01 || left || right)}, the empty tree is {@code SHA-256()}. The prefixes keep a leaf from
 * ever passing for an interior node.
 */
public final class MerkleHash {
  /** Bytes of every hash. */
  public static final int SIZE = 32;
  private static final byte LEAF_PREFIX = 0x00;
  private static final byte NODE_PREFIX = 0x01;

  private MerkleHash() {
  }

  /** The hash of a leaf holding {@code data}. */
  public static byte[] leaf(byte[] data) {
    MessageDigest sha = sha256();
    sha.update(LEAF_PREFIX);
    sha.update(data);
    return sha.digest();
  }

  /** The hash of the interior node over two child hashes. */
  public static byte[] node(byte[] left, byte[] right) {
    requireHash(left, "left");
    requireHash(right, "right");
    MessageDigest sha = sha256();
    sha.update(NODE_PREFIX);
    sha.update(left);
    sha.update(right);
    return sha.digest();
  }

  /** The root of the empty tree: SHA-256 of no bytes. */
  public static byte[] empty() {
    return sha256().digest();
  }

  /** Whether the bytes have the length of a hash. */
  public static boolean isHash(byte[] hash) {
    return hash != null && hash.length == SIZE;
  }

  /** Constant-time equality of two hashes (false if either is not a hash). */
  public static boolean equal(byte[] a, byte[] b) {
    return isHash(a) && isHash(b) && MessageDigest.isEqual(a, b);
  }

  static void requireHash(byte[] hash, String what) {
    if (!isHash(hash)) {
      throw new IllegalArgumentException(what + " is not a " + SIZE + "-byte hash");
    }
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }
}
