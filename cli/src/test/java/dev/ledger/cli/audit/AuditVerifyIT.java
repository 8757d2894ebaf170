package dev.ledger.cli.audit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ledger.cli.CliHarness;
import dev.ledger.events.Envelope;
import dev.ledger.events.EvidenceSubmitted;
import dev.ledger.events.crypto.Signing;
import dev.ledger.testkit.SharedInfra;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ledger audit verify} against real PostgreSQL filled by the real pipeline (Streams sealing, projectors,
 * checkpointer): the intact history verifies; each kind of tampering with a copy of the database is detected and
 * the first broken link is named (site, position, what).
 */
class AuditVerifyIT {
  private static final String A = "site-a";
  private static final String B = "site-b";
  @TempDir static Path work;
  private static EvidencePipeline pipeline;
  private static String key;

  @BeforeAll
  static void buildHistory() throws Exception {
    String id = UUID.randomUUID().toString().substring(0, 8);
    pipeline = new EvidencePipeline(id, work).sites(A, B).evidence(8, A, B).checkpoint().evidence(4, A, B)
        .checkpoint();
    key = pipeline.ledgerKey.verifier().text();
    pipeline.close();
  }

  @AfterAll
  static void close() {
    if (pipeline != null) {
      pipeline.close();
    }
  }

  @Test
  void theIntactHistoryVerifies() throws Exception {
    CliHarness cli = new CliHarness();
    int code = cli.run("audit", "verify", "--jdbc-url", EvidencePipeline.jdbcUrl(pipeline.copy("audit_ok")),
        "--ledger-key", key);
    assertThat(code).as(cli.out() + cli.err()).isZero();
    assertThat(cli.out()).contains("verified 24 bundles and 4 checkpoints of 2 site(s)")
        .contains("OK: the evidence history verifies");
    assertThat(cli.err()).contains("100%");
  }

  @Test
  void oneChangedByteOfAStoredBundleIsNamed() throws Exception {
    String broken = tampered("audit_byte", """
        UPDATE evidence_bundles SET bundle = jsonb_set(bundle, '{checks,0,status}', '"fail"')
        WHERE site_id = 'site-a' AND chain_position = 5""");
    // One byte: "pass" → "fail" changes four; a single character of the bundle id is one.
    String oneByte = tampered("audit_byte1", """
        UPDATE evidence_bundles SET bundle = jsonb_set(bundle, '{bundle_id}',
          to_jsonb(overlay(bundle->>'bundle_id' placing 'X' from 1 for 1)))
        WHERE site_id = 'site-b' AND chain_position = 9""");
    // The signed canonical content itself, one byte changed.
    String signedContent = tampered("audit_byte2", """
        UPDATE evidence_envelopes e SET payload = overlay(payload placing 'X' from 20 for 1)
        FROM evidence_bundles b WHERE b.event_id = e.event_id AND b.site_id = 'site-a' AND b.chain_position = 2""");
    // Signed content that is no longer JSON at all: the walk's cast fails, and the site is walked again to name it.
    String notJson = tampered("audit_not_json", """
        UPDATE evidence_envelopes e SET payload = 'not json ' || payload
        FROM evidence_bundles b WHERE b.event_id = e.event_id AND b.site_id = 'site-b' AND b.chain_position = 3""");
    assertBroken(notJson, "site site-b, position 3: bundle hash does not match the signed content");
    // JSON that jsonb refuses for another reason (a NUL escape: 22P05, not 22P02) is named the same way.
    String nul = tampered("audit_nul", """
        UPDATE evidence_envelopes e SET payload = '{"x":"\\u0000"}'
        FROM evidence_bundles b WHERE b.event_id = e.event_id AND b.site_id = 'site-a' AND b.chain_position = 4""");
    assertBroken(nul, "site site-a, position 4: bundle hash does not match the signed content");
    assertBroken(broken, "site site-a, position 5: stored bundle b-site-a-9 differs from the bundle its appliance "
        + "signed");
    assertBroken(oneByte, "site site-b, position 9: stored bundle b-site-b-18 differs from the bundle its "
        + "appliance signed");
    assertBroken(signedContent, "site site-a, position 2: bundle hash does not match the signed content");
  }

  @Test
  void aDeletedRowIsNamed() throws Exception {
    String db = tampered("audit_delete", """
        SET session_replication_role = replica;
        DELETE FROM evidence_bundles WHERE site_id = 'site-a' AND chain_position = 7""");
    assertBroken(db, "site site-a, position 7: bundle is missing (the next stored bundle is at position 8)");
  }

  @Test
  void aDeletedLastRowIsNamed() throws Exception {
    String db = tampered("audit_delete_last", """
        DELETE FROM evidence_bundles WHERE site_id = 'site-b' AND chain_position = 12""");
    assertBroken(db, "site site-b, position 12: bundle is missing: checkpoint at size 12 covers it");
  }

  @Test
  void twoSwappedRowsAreNamed() throws Exception {
    String db = tampered("audit_swap", """
        SET session_replication_role = replica;
        UPDATE evidence_bundles SET chain_position = 1000003 WHERE site_id = 'site-a' AND chain_position = 3;
        UPDATE evidence_bundles SET chain_position = 3 WHERE site_id = 'site-a' AND chain_position = 4;
        UPDATE evidence_bundles SET chain_position = 4 WHERE site_id = 'site-a' AND chain_position = 1000003""");
    assertBroken(db, "site site-a, position 3: prev_hash");
  }

  @Test
  void aForgedSignatureIsNamed() throws Exception {
    // A real Ed25519 signature by the appliance's own key, of a different bundle: well-formed, and wrong here.
    EvidenceSubmitted other = new EvidenceSubmitted("other", Instant.parse("2026-01-01T00:00:00Z"), List.of());
    String forged = Signing.sign(Envelope.of(A, EvidencePipeline.appliance(A), Instant.now(), other),
        pipeline.applianceKeys.get(A).getPrivate()).signature();
    String db = tampered("audit_forge", "UPDATE evidence_bundles SET signature = '" + forged
        + "' WHERE site_id = 'site-a' AND chain_position = 6");
    assertBroken(db, "site site-a, position 6: appliance signature does not verify against the registered key");
  }

  @Test
  void aRewrittenCheckpointIsNamed() throws Exception {
    String db = tampered("audit_checkpoint", """
        UPDATE evidence_log_checkpoints
        SET note = regexp_replace(note, '\\n8\\n', E'\\n7\\n'), tree_size = 7
        WHERE site_id = 'site-b' AND tree_size = 8""");
    assertBroken(db, "site site-b, position 7: checkpoint at size 7: the signature of compliance-ledger does not "
        + "verify");
    String root = tampered("audit_root", """
        UPDATE evidence_log_checkpoints SET root_hash = sha256(root_hash)
        WHERE site_id = 'site-a' AND tree_size = 12""");
    assertBroken(root, "site site-a, position 12: checkpoint at size 12: the stored size or root differs");
  }

  @Test
  void anotherLedgerKeyDoesNotVerifyTheCheckpoints() throws Exception {
    String other = new dev.ledger.events.merkle.SignedNote.VerifierKey("compliance-ledger",
        Signing.generateKeyPair().getPublic()).text();
    CliHarness cli = new CliHarness();
    int code = cli.run("audit", "verify", "--site", A, "--jdbc-url",
        EvidencePipeline.jdbcUrl(pipeline.copy("audit_key")), "--ledger-key", other);
    assertThat(code).isEqualTo(AuditCommand.BROKEN);
    assertThat(cli.err()).contains("BROKEN: site site-a, position 8: checkpoint at size 8: the signature of "
        + "compliance-ledger does not verify");
  }

  @Test
  void anUnknownSiteIsBadInput() throws Exception {
    CliHarness cli = new CliHarness();
    int code = cli.run("audit", "verify", "--site", "nowhere", "--jdbc-url",
        EvidencePipeline.jdbcUrl(pipeline.copy("audit_nosite")), "--ledger-key", key);
    assertThat(code).isEqualTo(2);
    assertThat(cli.err()).contains("site nowhere has no evidence");
  }

  private static String tampered(String name, String sql) throws SQLException {
    pipeline.copy(name);
    try (Connection c = SharedInfra.postgres().dataSource(name).getConnection(); Statement s = c.createStatement()) {
      for (String statement : sql.split(";")) {
        s.execute(statement);
      }
    }
    return name;
  }

  private static void assertBroken(String database, String finding) {
    CliHarness cli = new CliHarness();
    int code = cli.run("audit", "verify", "--jdbc-url", EvidencePipeline.jdbcUrl(database), "--ledger-key", key);
    assertThat(code).as(cli.out() + cli.err()).isEqualTo(AuditCommand.BROKEN);
    assertThat(cli.err()).contains("BROKEN: " + finding);
  }
}
