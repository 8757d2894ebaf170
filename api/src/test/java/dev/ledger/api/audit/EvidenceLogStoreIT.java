package dev.ledger.api.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ledger.events.merkle.MerkleHash;
import dev.ledger.events.merkle.MerkleProofs;
import dev.ledger.events.merkle.TreeFrontier;
import dev.ledger.migrations.Migrations;
import dev.ledger.testkit.MerkleReference;
import dev.ledger.testkit.SharedInfra;
import java.nio.ByteBuffer;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;
import javax.sql.DataSource;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Proofs read from the complete nodes stored in PostgreSQL (what the API serves) against proofs computed from the
 * leaves in memory by a plain transcription of RFC 9162 §2.1: the same roots, inclusion and consistency proofs for
 * every tree size up to 70 and for sizes around powers of two up to 1,100, each from one query of the O(log n)
 * nodes the proof names.
 */
class EvidenceLogStoreIT {
  private static final int LEAVES = 1_100;
  private static final String SITE = "s-store";
  private static final HexFormat HEX = HexFormat.of();
  private static final List<byte[]> LEAF_HASHES = new ArrayList<>();
  private static Jdbi jdbi;

  @BeforeAll
  static void storeTheLog() throws Exception {
    DataSource db = SharedInfra.postgres().newDatabase("evlog_store_" + UUID.randomUUID().toString()
        .substring(0, 8));
    Migrations.apply(db);
    jdbi = Jdbi.create(db);
    TreeFrontier log = new TreeFrontier();
    try (Connection c = db.getConnection();
        PreparedStatement s = c.prepareStatement("INSERT INTO evidence_log_nodes VALUES (?, ?, ?, ?)")) {
      c.setAutoCommit(false);
      for (int i = 0; i < LEAVES; i++) {
        byte[] leaf = MerkleHash.leaf(ByteBuffer.allocate(4).putInt(i * 7919).array());
        LEAF_HASHES.add(leaf);
        for (TreeFrontier.Node node : log.append(leaf)) {
          s.setString(1, SITE);
          s.setInt(2, node.id().level());
          s.setLong(3, node.id().index());
          s.setBytes(4, node.hash());
          s.addBatch();
        }
      }
      s.executeBatch();
      c.commit();
    }
  }

  /** Every size up to 70, and each power of two up to 1,024 with its neighbours, and the whole log. */
  private static List<Integer> sizes() {
    List<Integer> sizes = new ArrayList<>(IntStream.rangeClosed(1, 70).boxed().toList());
    for (int p = 128; p <= 1_024; p *= 2) {
      sizes.addAll(List.of(p - 1, p, p + 1));
    }
    sizes.addAll(List.of(1_000, 1_099, LEAVES));
    return sizes;
  }

  @Test
  void storedNodeProofsAreTheRfcProofsOfTheLeaves() {
    jdbi.useHandle(h -> {
      for (int n : sizes()) {
        List<byte[]> leaves = LEAF_HASHES.subList(0, n);
        byte[] root = MerkleReference.root(leaves);
        assertThat(HEX.formatHex(EvidenceLogStore.root(h, SITE, n))).as("root of %d", n)
            .isEqualTo(HEX.formatHex(root));
        for (int m : indexes(n)) {
          List<byte[]> proof = EvidenceLogStore.inclusion(h, SITE, m, n);
          assertThat(hexes(proof)).as("inclusion of %d in %d", m, n).isEqualTo(hexes(MerkleReference.inclusion(m, leaves)));
          assertThat(MerkleProofs.verifyInclusion(leaves.get(m), m, n, proof, root)).isTrue();
          EvidenceLogStore.Inclusion withLeaf = EvidenceLogStore.inclusionWithLeaf(h, SITE, m, n);
          assertThat(withLeaf.leafHash()).isEqualTo(leaves.get(m));
          assertThat(hexes(withLeaf.proof())).isEqualTo(hexes(proof));
          // One query of at most two nodes per level: 2 * ceil(log2 n).
          int levels = 64 - Long.numberOfLeadingZeros(n - 1L);
          assertThat(MerkleProofs.inclusionNodes(m, n)).hasSizeLessThanOrEqualTo(Math.max(1, 2 * levels));
        }
        for (int m : indexes(n)) {
          int first = m + 1;
          List<byte[]> proof = EvidenceLogStore.consistency(h, SITE, first, n);
          List<byte[]> expected = MerkleReference.consistency(first, leaves);
          assertThat(hexes(proof)).as("consistency of %d to %d", first, n).isEqualTo(hexes(expected));
          assertThat(MerkleProofs.verifyConsistency(first, MerkleReference.root(LEAF_HASHES.subList(0, first)), n, root, proof))
              .isTrue();
        }
      }
    });
  }

  @Test
  void aNodeTheStoreDoesNotHaveIsNamed() {
    Handle h = jdbi.open();
    try {
      assertThatThrownBy(() -> EvidenceLogStore.inclusion(h, SITE, 3, LEAVES + 1))
          .isInstanceOf(EvidenceLogStore.MissingNodeException.class)
          .hasMessageContaining("the evidence log of " + SITE + " has no node (0, " + LEAVES + ")");
    } finally {
      h.close();
    }
  }

  /** A spread of leaf indexes of a tree of {@code n}: every leaf of a tree of up to 33, else the edges and a stride. */
  private static List<Integer> indexes(int n) {
    if (n <= 33) {
      return IntStream.range(0, n).boxed().toList();
    }
    List<Integer> out = new ArrayList<>(List.of(0, 1, n / 2, n - 2, n - 1));
    for (int i = 3; i < n; i += 37) {
      out.add(i);
    }
    return out;
  }

  private static List<String> hexes(List<byte[]> hashes) {
    return hashes.stream().map(HEX::formatHex).toList();
  }
}
