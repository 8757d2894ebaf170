package dev.ledger.events.merkle;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LedgerKeyTest {

  @Test
  void theKeyIsMadeOnceOwnerOnlyAndSignsVerifiableCheckpoints(@TempDir Path dir) throws Exception {
    LedgerKey first = LedgerKey.loadOrCreate(dir, "compliance-ledger");
    LedgerKey again = LedgerKey.loadOrCreate(dir, "compliance-ledger");

    assertThat(again.verifier().text()).isEqualTo(first.verifier().text());
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve(LedgerKey.PRIVATE_FILE))))
        .isEqualTo("rw-------");
    assertThat(LedgerKey.verifierIn(dir, "compliance-ledger")).isEqualTo(first.verifier());
    Checkpoint checkpoint = new Checkpoint(first.origin("site-1"), 3, MerkleHash.empty());
    assertThat(checkpoint.origin()).isEqualTo("compliance-ledger/evidence/site-1");
    assertThat(Checkpoint.open(again.sign(checkpoint), first.verifier())).isEqualTo(checkpoint);
    assertThat(first.toString()).doesNotContain("PRIVATE").contains(first.verifier().text());
  }
}
