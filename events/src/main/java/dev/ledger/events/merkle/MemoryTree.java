package dev.ledger.events.merkle;

import java.util.ArrayList;
import java.util.List;

/**
 * A Merkle log held in memory with every complete node: for tests, tools and small logs. A store that keeps the
 * nodes {@link TreeFrontier#append} returns answers the same proofs.
 */
public final class MemoryTree implements NodeSource {
  private final TreeFrontier frontier = new TreeFrontier();
  private final List<List<byte[]>> levels = new ArrayList<>();

  /** Appends the leaf holding {@code data}. */
  public void appendData(byte[] data) {
    appendHash(MerkleHash.leaf(data));
  }

  /** Appends a leaf by its hash. */
  public void appendHash(byte[] leafHash) {
    for (TreeFrontier.Node node : frontier.append(leafHash)) {
      if (levels.size() == node.id().level()) {
        levels.add(new ArrayList<>());
      }
      levels.get(node.id().level()).add(node.hash());
    }
  }

  public long size() {
    return frontier.size();
  }

  /** The current root. */
  public byte[] root() {
    return frontier.root();
  }

  /** The root when the log had {@code size} leaves. */
  public byte[] root(long size) {
    requireSize(size);
    return MerkleProofs.root(this, size);
  }

  public List<byte[]> inclusion(long index, long size) {
    requireSize(size);
    return MerkleProofs.inclusion(this, index, size);
  }

  public List<byte[]> consistency(long first, long second) {
    requireSize(second);
    return MerkleProofs.consistency(this, first, second);
  }

  @Override
  public byte[] node(int level, long index) {
    if (level >= levels.size() || index >= levels.get(level).size()) {
      throw new IllegalArgumentException("node (" + level + ", " + index + ") is not complete");
    }
    return levels.get(level).get((int) index).clone();
  }

  private void requireSize(long size) {
    if (size < 0 || size > size()) {
      throw new IllegalArgumentException("the log has " + size() + " leaves, not " + size);
    }
  }
}
