package dev.ledger.testkit;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;

/**
 * RFC 9162 §2.1 transcribed literally and recursively, with the JDK's SHA-256 and nothing of the project's own
 * Merkle code: the reference that code is tested against. Trees are given by their leaf hashes, in order.
 */
public final class MerkleReference {
  private MerkleReference() {
  }

  /** {@code SHA-256(0x00 || data)}: the hash of a leaf (§2.1.1). */
  public static byte[] leafHash(byte[] data) {
    return sha256(new byte[] {0}, data);
  }

  /** The leaf hashes of {@code data}, in order. */
  public static List<byte[]> leafHashes(List<byte[]> data) {
    return data.stream().map(MerkleReference::leafHash).toList();
  }

  /** MTH(D[n]) over the leaf hashes; the hash of the empty string for an empty tree (§2.1.1). */
  public static byte[] root(List<byte[]> leaves) {
    if (leaves.isEmpty()) {
      return sha256();
    }
    if (leaves.size() == 1) {
      return leaves.get(0);
    }
    int k = k(leaves.size());
    return sha256(new byte[] {1}, root(leaves.subList(0, k)), root(leaves.subList(k, leaves.size())));
  }

  /** PATH(m, D[n]): the inclusion proof of leaf {@code m} (§2.1.3.1). */
  public static List<byte[]> inclusion(int m, List<byte[]> leaves) {
    int n = leaves.size();
    List<byte[]> out = new ArrayList<>();
    if (n <= 1) {
      return out;
    }
    int k = k(n);
    if (m < k) {
      out.addAll(inclusion(m, leaves.subList(0, k)));
      out.add(root(leaves.subList(k, n)));
    } else {
      out.addAll(inclusion(m - k, leaves.subList(k, n)));
      out.add(root(leaves.subList(0, k)));
    }
    return out;
  }

  /** PROOF(m, D[n]): the consistency proof from the first {@code m} leaves to all of them; empty when equal. */
  public static List<byte[]> consistency(int m, List<byte[]> leaves) {
    return m == leaves.size() ? List.of() : subproof(m, leaves, true);
  }

  /** SUBPROOF(m, D[n], b) (§2.1.4.1). */
  private static List<byte[]> subproof(int m, List<byte[]> leaves, boolean whole) {
    int n = leaves.size();
    List<byte[]> out = new ArrayList<>();
    if (m == n) {
      if (!whole) {
        out.add(root(leaves));
      }
      return out;
    }
    int k = k(n);
    if (m <= k) {
      out.addAll(subproof(m, leaves.subList(0, k), whole));
      out.add(root(leaves.subList(k, n)));
    } else {
      out.addAll(subproof(m - k, leaves.subList(k, n), false));
      out.add(root(leaves.subList(0, k)));
    }
    return out;
  }

  /** The largest power of two smaller than {@code n}, by counting. */
  private static int k(int n) {
    int k = 1;
    while (k * 2 < n) {
      k *= 2;
    }
    return k;
  }

  private static byte[] sha256(byte[]... parts) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      for (byte[] part : parts) {
        digest.update(part);
      }
      return digest.digest();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-256", e);
    }
  }
}
