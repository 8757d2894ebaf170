package dev.ledger.events.merkle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ledger.events.crypto.Hashing;
import dev.ledger.testkit.MerkleReference;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * RFC 6962 / RFC 9162 trees against the published Certificate Transparency vectors, and against a literal
 * transcription of the RFC's recursive definitions (MTH, PATH, SUBPROOF over lists of leaf data) for every size
 * and every proof pair up to 64 leaves.
 */
class MerkleProofsTest {
  private static final HexFormat HEX = HexFormat.of();
  private static final byte[][] CT_LEAVES = {
      hex(""), hex("00"), hex("10"), hex("2021"), hex("3031"), hex("40414243"), hex("5051525354555657"),
      hex("606162636465666768696a6b6c6d6e6f")};
  private static final String[] CT_ROOTS = {
      "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
      "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
      "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
      "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
      "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
      "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
      "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
      "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
      "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328"};

  @Test
  void treeHeadsMatchTheCertificateTransparencyVectors() {
    MemoryTree tree = ctTree();
    for (int n = 0; n <= 8; n++) {
      assertThat(HEX.formatHex(tree.root(n))).as("size %d", n).isEqualTo(CT_ROOTS[n]);
    }
    assertThat(HEX.formatHex(new TreeFrontier().root())).isEqualTo(CT_ROOTS[0]);
  }

  @Test
  void inclusionProofsMatchTheVectors() {
    MemoryTree tree = ctTree();
    assertThat(hexes(tree.inclusion(0, 1))).isEmpty();
    assertThat(hexes(tree.inclusion(0, 8))).containsExactly(
        "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
        "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
        "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4");
    assertThat(hexes(tree.inclusion(5, 8))).containsExactly(
        "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
        "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
        "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7");
    assertThat(hexes(tree.inclusion(2, 3))).containsExactly(
        "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125");
    assertThat(hexes(tree.inclusion(1, 5))).containsExactly(
        "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
        "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
        "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b");
  }

  @Test
  void consistencyProofsMatchTheVectors() {
    MemoryTree tree = ctTree();
    assertThat(hexes(tree.consistency(1, 1))).isEmpty();
    assertThat(hexes(tree.consistency(1, 8))).containsExactly(
        "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
        "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
        "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4");
    assertThat(hexes(tree.consistency(6, 8))).containsExactly(
        "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
        "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
        "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7");
    assertThat(hexes(tree.consistency(2, 5))).containsExactly(
        "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
        "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b");
    assertThat(MerkleProofs.verifyConsistency(6, hex(CT_ROOTS[6]), 8, hex(CT_ROOTS[8]), tree.consistency(6, 8)))
        .isTrue();
  }

  @Test
  void everyInclusionProofUpTo64LeavesIsTheRfcPathAndVerifies() {
    List<byte[]> data = data(64);
    MemoryTree tree = new MemoryTree();
    data.forEach(tree::appendData);
    for (int n = 1; n <= 64; n++) {
      byte[] root = tree.root(n);
      assertThat(root).as("root %d", n).isEqualTo(MerkleReference.root(MerkleReference.leafHashes(data.subList(0, n))));
      for (int m = 0; m < n; m++) {
        List<byte[]> proof = tree.inclusion(m, n);
        assertThat(hexes(proof)).as("path %d of %d", m, n).isEqualTo(hexes(MerkleReference.inclusion(m, MerkleReference.leafHashes(data.subList(0, n)))));
        byte[] leaf = MerkleHash.leaf(data.get(m));
        assertThat(MerkleProofs.verifyInclusion(leaf, m, n, proof, root)).isTrue();
        assertThat(MerkleProofs.inclusionNodes(m, n)).hasSizeLessThanOrEqualTo(2 * 7);
        // Wrong leaf, wrong index, wrong root, each proof hash flipped, truncated and extended proofs: all refused.
        assertThat(MerkleProofs.verifyInclusion(MerkleHash.leaf(data.get((m + 1) % 64)), m, n, proof, root))
            .isFalse();
        if (n > 1) {
          assertThat(MerkleProofs.verifyInclusion(leaf, (m + 1) % n, n, proof, root)).isFalse();
        }
        assertThat(MerkleProofs.verifyInclusion(leaf, m, n, proof, tree.root(n - 1))).isFalse();
        for (int i = 0; i < proof.size(); i++) {
          assertThat(MerkleProofs.verifyInclusion(leaf, m, n, flip(proof, i), root)).isFalse();
        }
        if (!proof.isEmpty()) {
          assertThat(MerkleProofs.verifyInclusion(leaf, m, n, proof.subList(0, proof.size() - 1), root)).isFalse();
        }
        assertThat(MerkleProofs.verifyInclusion(leaf, m, n, plus(proof, root), root)).isFalse();
      }
    }
  }

  @Test
  void everyConsistencyProofUpTo64LeavesIsTheRfcProofAndVerifies() {
    List<byte[]> data = data(64);
    MemoryTree tree = new MemoryTree();
    data.forEach(tree::appendData);
    for (int n = 1; n <= 64; n++) {
      byte[] second = tree.root(n);
      for (int m = 1; m <= n; m++) {
        byte[] first = tree.root(m);
        List<byte[]> proof = tree.consistency(m, n);
        List<byte[]> reference = MerkleReference.consistency(m, MerkleReference.leafHashes(data.subList(0, n)));
        assertThat(hexes(proof)).as("proof %d to %d", m, n).isEqualTo(hexes(reference));
        assertThat(MerkleProofs.verifyConsistency(m, first, n, second, proof)).as("%d to %d", m, n).isTrue();
        for (int i = 0; i < proof.size(); i++) {
          assertThat(MerkleProofs.verifyConsistency(m, first, n, second, flip(proof, i))).isFalse();
        }
        if (m < n) {
          assertThat(MerkleProofs.verifyConsistency(m, second, n, second, proof)).isFalse();
          assertThat(MerkleProofs.verifyConsistency(m, first, n, first, proof)).isFalse();
          assertThat(MerkleProofs.verifyConsistency(m, first, n, second, proof.subList(0, proof.size() - 1)))
              .isFalse();
          assertThat(MerkleProofs.verifyConsistency(n, second, m, first, proof)).isFalse();
        }
      }
      assertThat(MerkleProofs.verifyConsistency(0, MerkleHash.empty(), n, second, List.of())).isTrue();
      assertThat(MerkleProofs.verifyConsistency(0, second, n, second, List.of())).isFalse();
    }
  }

  @Test
  void theFrontierRebuiltFromStoredPeaksContinuesTheSameLog() {
    List<byte[]> data = data(64);
    for (int cut = 0; cut <= 64; cut++) {
      MemoryTree whole = new MemoryTree();
      data.forEach(whole::appendData);
      MemoryTree prefix = new MemoryTree();
      data.subList(0, cut).forEach(prefix::appendData);
      List<byte[]> peaks = TreeFrontier.peakIds(cut).stream().map(id -> prefix.node(id.level(), id.index())).toList();
      TreeFrontier resumed = TreeFrontier.of(cut, peaks);
      assertThat(resumed.root()).isEqualTo(prefix.root());
      for (byte[] d : data.subList(cut, 64)) {
        for (TreeFrontier.Node node : resumed.append(MerkleHash.leaf(d))) {
          assertThat(node.hash()).isEqualTo(whole.node(node.id().level(), node.id().index()));
        }
      }
      assertThat(resumed.root()).isEqualTo(whole.root());
    }
  }

  @Test
  void theNodesAProofNeedsAreNamedUpFront() {
    assertThat(MerkleProofs.rootNodes(8)).containsExactly(new NodeId(3, 0));
    assertThat(MerkleProofs.rootNodes(7)).containsExactly(new NodeId(2, 0), new NodeId(1, 2), new NodeId(0, 6));
    assertThat(MerkleProofs.inclusionNodes(5, 8))
        .containsExactly(new NodeId(0, 4), new NodeId(1, 3), new NodeId(2, 0));
    // Near the top of a 10-million-leaf log a proof reads at most about two dozen complete subtrees.
    assertThat(MerkleProofs.inclusionNodes(9_999_998, 10_000_000).size()).isLessThanOrEqualTo(48);
  }

  @Test
  void badRequestsAreRefused() {
    MemoryTree tree = ctTree();
    assertThatThrownBy(() -> tree.inclusion(8, 8)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> tree.consistency(9, 8)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> MerkleProofs.root(tree, 9)).isInstanceOf(IllegalArgumentException.class);
    assertThat(MerkleProofs.verifyInclusion(new byte[31], 0, 1, List.of(), tree.root(1))).isFalse();
    assertThat(MerkleProofs.verifyInclusion(tree.node(0, 5), 5, 8, List.of(new byte[]{1}), tree.root(8)))
        .isFalse();
  }

  @Test
  void anEvidenceLeafIsTheChainHashPreimage() {
    String bundle = "a".repeat(64);
    String prev = "0".repeat(64);
    byte[] data = EvidenceLog.leafData(bundle, prev, 1);
    assertThat(new String(data, StandardCharsets.UTF_8)).isEqualTo(bundle + ":" + prev + ":1");
    assertThat(Hashing.sha256Hex(data))
        .isEqualTo(dev.ledger.events.rules.EvidenceChain.chainHash(bundle, prev, 1));
    byte[] prefixed = new byte[data.length + 1];
    System.arraycopy(data, 0, prefixed, 1, data.length);
    assertThat(EvidenceLog.leafHash(bundle, prev, 1)).isEqualTo(Hashing.sha256(prefixed));
    assertThat(EvidenceLog.origin("ledger", "site-1")).isEqualTo("ledger/evidence/site-1");
  }

  private static MemoryTree ctTree() {
    MemoryTree tree = new MemoryTree();
    Arrays.stream(CT_LEAVES).forEach(tree::appendData);
    return tree;
  }

  private static List<byte[]> data(int n) {
    List<byte[]> data = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      data.add(("leaf-" + i).getBytes(StandardCharsets.UTF_8));
    }
    return data;
  }

  private static List<byte[]> flip(List<byte[]> proof, int i) {
    List<byte[]> copy = new ArrayList<>(proof);
    byte[] changed = copy.get(i).clone();
    changed[i % changed.length] ^= 0x01;
    copy.set(i, changed);
    return copy;
  }

  private static List<byte[]> plus(List<byte[]> proof, byte[] extra) {
    List<byte[]> copy = new ArrayList<>(proof);
    copy.add(extra);
    return copy;
  }

  private static List<String> hexes(List<byte[]> hashes) {
    return hashes.stream().map(HEX::formatHex).toList();
  }

  private static byte[] hex(String text) {
    return HEX.parseHex(text);
  }
}
