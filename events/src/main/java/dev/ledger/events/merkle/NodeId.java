package dev.ledger.events.merkle;

/** The address of a complete subtree: see {@link NodeSource}. */
public record NodeId(int level, long index) {

  public NodeId {
    if (level < 0 || level > 62 || index < 0) {
      throw new IllegalArgumentException("no node at level " + level + ", index " + index);
    }
  }

  /** The first leaf under this node. */
  public long firstLeaf() {
    return index << level;
  }

  /** The number of leaves the tree must have for this node to be complete. */
  public long completeAt() {
    return (index + 1) << level;
  }
}
