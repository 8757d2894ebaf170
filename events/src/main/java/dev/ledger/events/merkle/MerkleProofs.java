package dev.ledger.events.merkle;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Tree heads and proofs of RFC 9162 §2.1: {@code MTH} (§2.1.1), inclusion proofs (§2.1.3) and consistency proofs
 * (§2.1.4), made from the complete subtrees of a {@link NodeSource}, and their verification by the algorithms of
 * §2.1.3.2 and §2.1.4.2. Leaf indexes count from 0. Verification never throws: every input is adversarial.
 *
 * <p>A proof of a tree of size n touches O(log n) complete subtrees; {@link #inclusionNodes} and friends name
 * them up front so a store can fetch them in one round trip.
 */
public final class MerkleProofs {

  private MerkleProofs() {
  }

  /** {@code MTH(D[0:size])}: the root of the first {@code size} leaves. */
  public static byte[] root(NodeSource nodes, long size) {
    if (size < 0) {
      throw new IllegalArgumentException("tree size must not be negative: " + size);
    }
    return size == 0 ? MerkleHash.empty() : subtree(nodes, 0, size);
  }

  /** {@code PATH(index, D[0:size])}: the inclusion proof of leaf {@code index} in the tree of {@code size}. */
  public static List<byte[]> inclusion(NodeSource nodes, long index, long size) {
    if (index < 0 || index >= size) {
      throw new IllegalArgumentException("leaf " + index + " is outside a tree of size " + size);
    }
    List<byte[]> path = new ArrayList<>();
    path(nodes, index, 0, size, path);
    return path;
  }

  /**
   * {@code PROOF(first, D[0:second])}: the consistency proof that the tree of size {@code first} is a prefix of the
   * tree of size {@code second}; empty when {@code first} is 0 or equals {@code second}.
   */
  public static List<byte[]> consistency(NodeSource nodes, long first, long second) {
    if (first < 0 || first > second) {
      throw new IllegalArgumentException("no consistency proof from size " + first + " to size " + second);
    }
    List<byte[]> proof = new ArrayList<>();
    if (first > 0 && first < second) {
      subproof(nodes, first, 0, second, true, proof);
    }
    return proof;
  }

  /** The complete subtrees {@link #root} reads, in the order it reads them. */
  public static List<NodeId> rootNodes(long size) {
    Recorder recorder = new Recorder();
    root(recorder, size);
    return recorder.ids();
  }

  /** The complete subtrees {@link #inclusion} reads, in the order it reads them. */
  public static List<NodeId> inclusionNodes(long index, long size) {
    Recorder recorder = new Recorder();
    inclusion(recorder, index, size);
    return recorder.ids();
  }

  /** The complete subtrees {@link #consistency} reads, in the order it reads them. */
  public static List<NodeId> consistencyNodes(long first, long second) {
    Recorder recorder = new Recorder();
    consistency(recorder, first, second);
    return recorder.ids();
  }

  /**
   * RFC 9162 §2.1.3.2: whether {@code path} proves that {@code leafHash} is leaf {@code index} of the tree of
   * {@code size} whose root is {@code root}.
   */
  public static boolean verifyInclusion(byte[] leafHash, long index, long size, List<byte[]> path, byte[] root) {
    if (index < 0 || index >= size || !MerkleHash.isHash(leafHash) || !MerkleHash.isHash(root) || path == null) {
      return false;
    }
    long fn = index;
    long sn = size - 1;
    byte[] r = leafHash;
    for (byte[] p : path) {
      if (sn == 0 || !MerkleHash.isHash(p)) {
        return false;
      }
      if ((fn & 1) == 1 || fn == sn) {
        r = MerkleHash.node(p, r);
        while ((fn & 1) == 0 && fn != 0) {
          fn >>= 1;
          sn >>= 1;
        }
      } else {
        r = MerkleHash.node(r, p);
      }
      fn >>= 1;
      sn >>= 1;
    }
    return sn == 0 && MerkleHash.equal(r, root);
  }

  /**
   * RFC 9162 §2.1.4.2: whether {@code proof} shows that the tree of size {@code first} with root {@code firstRoot}
   * is a prefix of the tree of size {@code second} with root {@code secondRoot}. Equal sizes need an empty proof and
   * equal roots; size 0 needs an empty proof and the empty root.
   */
  public static boolean verifyConsistency(
      long first, byte[] firstRoot, long second, byte[] secondRoot, List<byte[]> proof) {
    if (first < 0 || second < first || proof == null
        || !MerkleHash.isHash(firstRoot) || !MerkleHash.isHash(secondRoot)) {
      return false;
    }
    if (first == second) {
      return proof.isEmpty() && MerkleHash.equal(firstRoot, secondRoot);
    }
    if (first == 0) {
      return proof.isEmpty() && MerkleHash.equal(firstRoot, MerkleHash.empty());
    }
    if (proof.isEmpty()) {
      return false;
    }
    List<byte[]> path = new ArrayList<>(proof.size() + 1);
    if (Long.bitCount(first) == 1) {
      path.add(firstRoot);
    }
    path.addAll(proof);
    long fn = first - 1;
    long sn = second - 1;
    while ((fn & 1) == 1) {
      fn >>= 1;
      sn >>= 1;
    }
    if (!MerkleHash.isHash(path.get(0))) {
      return false;
    }
    byte[] fr = path.get(0);
    byte[] sr = path.get(0);
    for (byte[] c : path.subList(1, path.size())) {
      if (sn == 0 || !MerkleHash.isHash(c)) {
        return false;
      }
      if ((fn & 1) == 1 || fn == sn) {
        fr = MerkleHash.node(c, fr);
        sr = MerkleHash.node(c, sr);
        while ((fn & 1) == 0 && fn != 0) {
          fn >>= 1;
          sn >>= 1;
        }
      } else {
        sr = MerkleHash.node(sr, c);
      }
      fn >>= 1;
      sn >>= 1;
    }
    return sn == 0 && MerkleHash.equal(fr, firstRoot) && MerkleHash.equal(sr, secondRoot);
  }

  /** The largest power of two strictly below {@code n} (n ≥ 2): the split point {@code k} of RFC 9162. */
  static long split(long n) {
    if (n < 2) {
      throw new IllegalArgumentException("only a range of 2 or more leaves splits: " + n);
    }
    return Long.highestOneBit(n - 1);
  }

  /**
   * {@code MTH(D[start:end])} for a range the RFC recursion visits: such a range starts at a multiple of the
   * smallest power of two at least its width, so its power-of-two parts are complete, aligned subtrees.
   */
  private static byte[] subtree(NodeSource nodes, long start, long end) {
    long width = end - start;
    if (Long.bitCount(width) == 1) {
      int level = Long.numberOfTrailingZeros(width);
      return nodes.node(level, start >>> level);
    }
    long k = split(width);
    return MerkleHash.node(subtree(nodes, start, start + k), subtree(nodes, start + k, end));
  }

  private static void path(NodeSource nodes, long m, long start, long end, List<byte[]> out) {
    long width = end - start;
    if (width <= 1) {
      return;
    }
    long k = split(width);
    if (m < k) {
      path(nodes, m, start, start + k, out);
      out.add(subtree(nodes, start + k, end));
    } else {
      path(nodes, m - k, start + k, end, out);
      out.add(subtree(nodes, start, start + k));
    }
  }

  private static void subproof(NodeSource nodes, long m, long start, long end, boolean whole, List<byte[]> out) {
    long width = end - start;
    if (m == width) {
      if (!whole) {
        out.add(subtree(nodes, start, end));
      }
      return;
    }
    long k = split(width);
    if (m <= k) {
      subproof(nodes, m, start, start + k, whole, out);
      out.add(subtree(nodes, start + k, end));
    } else {
      subproof(nodes, m - k, start + k, end, false, out);
      out.add(subtree(nodes, start, start + k));
    }
  }

  /** A source that remembers what was asked and answers a dummy hash. */
  private static final class Recorder implements NodeSource {
    private static final byte[] DUMMY = new byte[MerkleHash.SIZE];
    private final Set<NodeId> ids = new LinkedHashSet<>();

    @Override
    public byte[] node(int level, long index) {
      ids.add(new NodeId(level, index));
      return DUMMY;
    }

    List<NodeId> ids() {
      return List.copyOf(ids);
    }
  }
}
