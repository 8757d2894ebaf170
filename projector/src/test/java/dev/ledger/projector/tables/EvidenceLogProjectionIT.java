package dev.ledger.projector.tables;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ledger.events.CheckStatus;
import dev.ledger.events.Envelope;
import dev.ledger.events.EvidenceLogCheckpointed;
import dev.ledger.events.EvidenceSealed;
import dev.ledger.events.merkle.Checkpoint;
import dev.ledger.events.merkle.EvidenceLog;
import dev.ledger.events.merkle.LedgerKey;
import dev.ledger.events.merkle.MemoryTree;
import dev.ledger.events.rules.EvidenceChain;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.generic.GenericType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The evidence-log projection on real Kafka and PostgreSQL: the stored nodes are exactly the tree of the sealed
 * links, links delivered again are ignored, a link that would fork the log or leave a gap is dead-lettered and
 * the log goes on; checkpoints are stored as published.
 */
class EvidenceLogProjectionIT {
  private static final Duration WAIT = Duration.ofMinutes(2);
  private static final Instant T0 = Instant.parse("2026-11-01T00:00:00Z");

  @Test
  void theLogIsTheTreeOfTheChainAndNeverForks(@TempDir Path keyDir) {
    try (Infra infra = Infra.create("evlog", 2)) {
      MemoryTree expected = new MemoryTree();
      String prev = EvidenceChain.GENESIS_PREV_HASH;
      Envelope second = null;
      for (int p = 1; p <= 6; p++) {
        Envelope bundle = Events.evidence("s1", "b-" + p, T0.plusSeconds(p), CheckStatus.PASS);
        Envelope link = Events.sealed(bundle, p, prev);
        EvidenceSealed sealed = (EvidenceSealed) link.payload();
        expected.appendHash(EvidenceLog.leafHash(sealed));
        prev = sealed.chainHash();
        infra.send(infra.topics.evidence(), bundle);
        infra.send(infra.topics.sealedEvidence(), link);
        if (p == 2) {
          second = bundle;
        }
      }
      // The same link 2 again under a new event id: ignored. A different link 3: a fork. Link 9: a gap.
      Envelope again = Events.sealed(second, 2, ((EvidenceSealed) Events.sealed(Events.evidence("s1", "b-1",
          T0.plusSeconds(1), CheckStatus.PASS), 1, EvidenceChain.GENESIS_PREV_HASH).payload()).chainHash());
      Envelope fork = Events.sealed(Events.evidence("s1", "b-x", T0, CheckStatus.FAIL), 3, prev);
      Envelope gap = Events.sealed(Events.evidence("s1", "b-y", T0, CheckStatus.FAIL), 9, prev);
      infra.send(infra.topics.sealedEvidence(), again, fork, gap);
      LedgerKey key = LedgerKey.loadOrCreate(keyDir, "compliance-ledger");
      Checkpoint checkpoint = new Checkpoint(key.origin("s1"), 6, expected.root());
      infra.send(infra.topics.checkpoints(), Envelope.of("s1", null, T0, new EvidenceLogCheckpointed(
          checkpoint.origin(), 6, HexFormat.of().formatHex(expected.root()), key.sign(checkpoint))));

      try (Projectors projectors = Projectors.start(infra.settings()
          .withProjections(List.of(EvidenceLogProjection.NAME, CheckpointProjection.NAME)))) {
        Infra.await("two dead letters and a checkpoint", WAIT, () -> projectors.deadLetterCount() == 2
            && infra.count("SELECT count(*) FROM evidence_log_checkpoints") == 1);
      }
      assertThat(infra.count("SELECT tree_size FROM evidence_log_heads WHERE site_id = 's1'")).isEqualTo(6);
      assertThat(infra.count("SELECT count(*) FROM evidence_log_nodes")).isEqualTo(6 + 3 + 1);
      Map<String, byte[]> stored = infra.jdbi.withHandle(h -> h.createQuery(
              "SELECT level || ':' || idx AS id, hash FROM evidence_log_nodes WHERE site_id = 's1'")
          .setMapKeyColumn("id").setMapValueColumn("hash").collectInto(new GenericType<Map<String, byte[]>>() { }));
      stored.forEach((id, hash) -> {
        String[] at = id.split(":");
        assertThat(hash).as(id).isEqualTo(expected.node(Integer.parseInt(at[0]), Long.parseLong(at[1])));
      });
      byte[] root = infra.jdbi.withHandle(h -> h.createQuery(
          "SELECT root_hash FROM evidence_log_heads WHERE site_id = 's1'").mapTo(byte[].class).one());
      assertThat(root).isEqualTo(expected.root());
      assertThat(infra.count("SELECT count(*) FROM evidence_envelopes")).isEqualTo(6);
      String note = infra.jdbi.withHandle(h -> h.createQuery(
          "SELECT note FROM evidence_log_checkpoints WHERE site_id = 's1' AND tree_size = 6").mapTo(String.class)
          .one());
      assertThat(note).isEqualTo(key.sign(checkpoint));
    }
  }
}
