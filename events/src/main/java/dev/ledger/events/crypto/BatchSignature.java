package dev.ledger.events.crypto;

import dev.ledger.events.merkle.MemoryTree;
import dev.ledger.events.merkle.MerkleHash;
import dev.ledger.events.merkle.MerkleProofs;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * One Ed25519 signature for a batch of envelopes: the signer hashes each envelope's signed bytes into an RFC 9162
 * Merkle tree and signs its root once; each envelope carries the signature, the root and its own inclusion proof, so
 * it still verifies alone (no other envelope of the batch is needed). A sender that signs 32 envelopes at a time
 * does 1/32 of the Ed25519 work, and a verifier that remembers roots it checked does the same.
 *
 * <p>Wire form, base64 in the envelope's {@code signature} field (a plain signature is 64 bytes and has no format
 * byte, so the two cannot be confused): {@code 0x01 || u16 index || u16 size || 64-byte signature || 32-byte root ||
 * the inclusion path, 32 bytes a hash}. The signed message is the UTF-8 text {@code
 * "compliance-ledger/event-batch/v1\n"} followed by {@code u16 size || root}: a batch signature never verifies as
 * the signature of an envelope (whose signed bytes are JSON, starting with '{'), nor the other way round.
 */
record BatchSignature(int index, int size, byte[] signature, byte[] root, List<byte[]> path) {
  /** The first byte of the wire form. */
  static final byte FORMAT = 0x01;
  /** The most envelopes one signature covers (the index and size are 16-bit). */
  static final int MAX_SIZE = 0xFFFF;
  private static final byte[] DOMAIN = "compliance-ledger/event-batch/v1\n".getBytes(StandardCharsets.US_ASCII);
  private static final int SIGNATURE_SIZE = 64;
  private static final int HEADER = 1 + 2 + 2 + SIGNATURE_SIZE + MerkleHash.SIZE;

  /** The bytes the batch's one Ed25519 signature is made over. */
  static byte[] message(int size, byte[] root) {
    return ByteBuffer.allocate(DOMAIN.length + 2 + MerkleHash.SIZE).put(DOMAIN).putShort((short) size).put(root)
        .array();
  }

  /** The batch signature of each message, in order, made with one Ed25519 signature by {@code sign}. */
  static List<String> sign(List<byte[]> messages, java.util.function.Function<byte[], byte[]> sign) {
    int size = messages.size();
    if (size < 1 || size > MAX_SIZE) {
      throw new IllegalArgumentException("a signature batch holds 1 to " + MAX_SIZE + " envelopes, not " + size);
    }
    MemoryTree tree = new MemoryTree();
    messages.forEach(tree::appendData);
    byte[] root = tree.root();
    byte[] signature = sign.apply(message(size, root));
    List<String> out = new ArrayList<>(size);
    for (int i = 0; i < size; i++) {
      out.add(new BatchSignature(i, size, signature, root, tree.inclusion(i, size)).encode());
    }
    return out;
  }

  /** The base64 wire form. */
  String encode() {
    ByteBuffer b = ByteBuffer.allocate(HEADER + MerkleHash.SIZE * path.size());
    b.put(FORMAT).putShort((short) index).putShort((short) size).put(signature).put(root);
    path.forEach(b::put);
    return Base64.getEncoder().encodeToString(b.array());
  }

  /** The batch signature in these decoded signature bytes, or null if they are not one. */
  static BatchSignature decode(byte[] bytes) {
    if (bytes.length < HEADER || bytes[0] != FORMAT || (bytes.length - HEADER) % MerkleHash.SIZE != 0) {
      return null;
    }
    ByteBuffer b = ByteBuffer.wrap(bytes, 1, bytes.length - 1);
    int index = Short.toUnsignedInt(b.getShort());
    int size = Short.toUnsignedInt(b.getShort());
    byte[] signature = new byte[SIGNATURE_SIZE];
    b.get(signature);
    byte[] root = new byte[MerkleHash.SIZE];
    b.get(root);
    List<byte[]> path = new ArrayList<>();
    while (b.hasRemaining()) {
      byte[] hash = new byte[MerkleHash.SIZE];
      b.get(hash);
      path.add(hash);
    }
    return index < size ? new BatchSignature(index, size, signature, root, path) : null;
  }

  /** Whether {@code message} is leaf {@code index} of the batch whose root this carries. */
  boolean includes(byte[] message) {
    return MerkleProofs.verifyInclusion(MerkleHash.leaf(message), index, size, path, root);
  }
}
