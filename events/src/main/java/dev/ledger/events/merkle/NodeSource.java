package dev.ledger.events.merkle;

/**
 * Where the hashes of complete subtrees come from. Node {@code (level, index)} is the root of the perfect subtree
 * over leaves {@code [index * 2^level, (index + 1) * 2^level)}: level 0 holds the leaf hashes. Nodes never change
 * once complete, so a log can store them as it grows and answer every proof from them.
 */
@FunctionalInterface
public interface NodeSource {

  /** The hash of complete node {@code (level, index)}; throws if the store does not have it. */
  byte[] node(int level, long index);
}
