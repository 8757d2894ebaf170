package dev.ledger.events.merkle;

import java.util.ArrayList;
import java.util.List;

/**
 * The right edge of a growing Merkle log: the roots of the complete subtrees ("peaks") that cover leaves
 * {@code [0, size)}, largest first, one per set bit of {@code size}. Appending a leaf completes 1 + (number of
 * trailing one bits of the old size) nodes, which {@link #append} returns so a store can keep every complete node.
 * The root is the peaks folded from the right. O(log n) memory, so it also recomputes huge logs as a stream.
 */
public final class TreeFrontier {

  /** A complete node and its hash. */
  public record Node(NodeId id, byte[] hash) {
  }

  private final List<byte[]> peaks = new ArrayList<>();
  private long size;

  /** An empty log. */
  public TreeFrontier() {
  }

  /** The frontier of a log of {@code size} leaves whose peaks ({@link #peakIds}) have these hashes, in order. */
  public static TreeFrontier of(long size, List<byte[]> peakHashes) {
    List<NodeId> ids = peakIds(size);
    if (ids.size() != peakHashes.size()) {
      throw new IllegalArgumentException(
          "a log of " + size + " leaves has " + ids.size() + " peaks, not " + peakHashes.size());
    }
    TreeFrontier frontier = new TreeFrontier();
    for (byte[] hash : peakHashes) {
      MerkleHash.requireHash(hash, "peak");
      frontier.peaks.add(hash.clone());
    }
    frontier.size = size;
    return frontier;
  }

  /** The peaks of a log of {@code size} leaves, largest (leftmost) first. */
  public static List<NodeId> peakIds(long size) {
    if (size < 0) {
      throw new IllegalArgumentException("tree size must not be negative: " + size);
    }
    List<NodeId> ids = new ArrayList<>();
    long offset = 0;
    for (int level = 62; level >= 0; level--) {
      if ((size & (1L << level)) != 0) {
        ids.add(new NodeId(level, offset >>> level));
        offset += 1L << level;
      }
    }
    return ids;
  }

  /** Appends a leaf hash; returns the nodes it completed, the leaf itself first, then upwards. */
  public List<Node> append(byte[] leafHash) {
    MerkleHash.requireHash(leafHash, "leaf hash");
    List<Node> completed = new ArrayList<>();
    byte[] hash = leafHash.clone();
    long index = size;
    int level = 0;
    completed.add(new Node(new NodeId(0, index), hash));
    while ((index & 1) == 1) {
      byte[] left = peaks.remove(peaks.size() - 1);
      hash = MerkleHash.node(left, hash);
      index >>= 1;
      level++;
      completed.add(new Node(new NodeId(level, index), hash));
    }
    peaks.add(hash);
    size++;
    return completed;
  }

  /** Leaves appended so far. */
  public long size() {
    return size;
  }

  /** {@code MTH} of the leaves so far. */
  public byte[] root() {
    if (peaks.isEmpty()) {
      return MerkleHash.empty();
    }
    byte[] root = peaks.get(peaks.size() - 1);
    for (int i = peaks.size() - 2; i >= 0; i--) {
      root = MerkleHash.node(peaks.get(i), root);
    }
    return root;
  }

  /** The peak hashes, largest first (copies). */
  public List<byte[]> peaks() {
    return peaks.stream().map(byte[]::clone).toList();
  }
}
