package dev.ledger.cli.audit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ledger.cli.CliHarness;
import dev.ledger.cli.audit.AuditFixture.Appliance;
import dev.ledger.cli.audit.PacketFiles.Run;
import dev.ledger.events.CheckStatus;
import dev.ledger.events.EvidenceCheck;
import dev.ledger.events.crypto.Hashing;
import dev.ledger.events.merkle.EvidenceLog;
import dev.ledger.events.merkle.LedgerKey;
import dev.ledger.testkit.Await;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * {@code ledger audit export} on evidence sealed by the real Streams app, projected by the real projectors and
 * checkpointed by the real checkpointer: two exports are byte-identical, the packet's verify.sh passes on it and
 * fails on a tampered copy; an export refuses, signing nothing, when no published checkpoint covers the period
 * or when one byte of the stored evidence was changed in PostgreSQL (naming site and position).
 */
class AuditExportIT {

  @Test
  void exportsADeterministicPacketThatVerifiesOfflineAndATamperedCopyThatDoesNot() throws Exception {
    Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    Path data = Files.createTempDirectory("ledger-export-it-");
    LedgerKey key = LedgerKey.loadOrCreate(data.resolve(LedgerKey.DIRECTORY), EvidenceLog.DEFAULT_LEDGER_NAME);
    try (AuditFixture fx = AuditFixture.start("export")) {
      String site = fx.name + "-clinic";
      fx.registerSite(site, now.minus(Duration.ofDays(60)));
      Appliance a = fx.registerAppliance("app-" + fx.name, site, now.minus(Duration.ofDays(60)));
      for (int i = 0; i < 8; i++) {
        fx.evidence(a, "b" + i, now.minus(Duration.ofDays(8 - i)), List.of(
            new EvidenceCheck("backup", i == 3 ? CheckStatus.FAIL : CheckStatus.PASS, "h1", null, "164.308(a)(7)"),
            new EvidenceCheck("encryption", CheckStatus.PASS, "h1", null, "164.312(a)(2)(iv)")));
      }
      awaitProjected(fx, site, 8);
      fx.checkpoint(key);

      // Bundles 2..7 of the chain (positions 3..8): the packet starts mid-chain.
      Path first = data.resolve("first.zip");
      Path second = data.resolve("second.zip");
      String from = now.minus(Duration.ofDays(6)).minusSeconds(1).toString();
      CliHarness cli = new CliHarness();
      String[] args = {"audit", "export", "--site", site, "--from", from, "--to", now.toString(), "--jdbc-url",
          fx.jdbcUrl(), "--data-dir", data.toString(), "--out", first.toString()};
      assertThat(cli.run(args)).as(cli.err()).isZero();
      assertThat(cli.out()).contains("6 bundles (chain positions 3..8), published checkpoint of size 8");
      args[args.length - 1] = second.toString();
      assertThat(cli.run(args)).as(cli.err()).isZero();
      assertThat(Hashing.sha256Hex(Files.readAllBytes(second)))
          .isEqualTo(Hashing.sha256Hex(Files.readAllBytes(first)));

      SortedMap<String, byte[]> packet = PacketFiles.entries(Files.readAllBytes(first));
      Path pinned = Files.writeString(data.resolve("published-ledger-key.pem"),
          AuditPacket.pem(key.publicKey().getEncoded()));
      Run pass = PacketFiles.verify(PacketFiles.unpack(packet), pinned.toString());
      assertThat(pass.status()).as(pass.output()).isZero();
      assertThat(pass.output()).contains("ok: 6 bundle hashes").contains("PASS: packet of site " + site);

      SortedMap<String, byte[]> tampered = new TreeMap<>(packet);
      String bundles = new String(packet.get("bundles.jsonl"), StandardCharsets.UTF_8);
      tampered.put("bundles.jsonl", bundles.replaceFirst("\"fail\"", "\"pass\"").getBytes(StandardCharsets.UTF_8));
      Run fail = PacketFiles.verify(PacketFiles.unpack(tampered), pinned.toString());
      assertThat(fail.status()).as(fail.output()).isEqualTo(1);
      assertThat(fail.output()).contains("bundles.jsonl: FAILED").contains("FAIL: manifest.sha256");

      // A bundle no published checkpoint covers yet: the export does not sign a tree head of its own.
      fx.evidence(a, "b8", now.minus(Duration.ofHours(12)), List.of(
          new EvidenceCheck("backup", CheckStatus.PASS, "h1", null, "164.308(a)(7)")));
      awaitProjected(fx, site, 9);
      Path refused = data.resolve("refused.zip");
      args[args.length - 1] = refused.toString();
      cli.clear();
      assertThat(cli.run(args)).as(cli.out() + cli.err()).isEqualTo(AuditCommand.NOT_CHECKPOINTED);
      assertThat(cli.err()).contains("no published checkpoint of " + site + " covers chain position 9");
      assertThat(refused).doesNotExist();
      fx.checkpoint(key);
      cli.clear();
      assertThat(cli.run(args)).as(cli.err()).isZero();
      assertThat(cli.out()).contains("7 bundles (chain positions 3..9), published checkpoint of size 9");
      Files.delete(refused);

      // One byte of a stored bundle changed in PostgreSQL: refused, named, nothing written or signed.
      String original = fx.jdbi.withHandle(h -> h.createQuery("SELECT bundle::text FROM evidence_bundles "
          + "WHERE site_id = ? AND chain_position = 5").bind(0, site).mapTo(String.class).one());
      update(fx, """
          UPDATE evidence_bundles SET bundle = jsonb_set(bundle, '{bundle_id}',
            to_jsonb(overlay(bundle->>'bundle_id' placing 'X' from 1 for 1)))
          WHERE site_id = ? AND chain_position = 5""", site);
      cli.clear();
      assertThat(cli.run(args)).as(cli.out() + cli.err()).isEqualTo(AuditCommand.BROKEN);
      assertThat(cli.err()).contains("refused, nothing was signed").contains("BROKEN: site " + site
          + ", position 5: stored bundle b4 differs from the bundle its appliance signed");
      assertThat(refused).doesNotExist();
      fx.jdbi.useHandle(h -> h.createUpdate("UPDATE evidence_bundles SET bundle = ?::jsonb "
          + "WHERE site_id = ? AND chain_position = 5").bind(0, original).bind(1, site).execute());

      // One byte of the signed content of another bundle (the text its hash and signature are checked against).
      update(fx, """
          UPDATE evidence_envelopes e SET payload = overlay(payload placing 'X' from 20 for 1)
          FROM evidence_bundles b WHERE b.event_id = e.event_id AND b.site_id = ? AND b.chain_position = 4""",
          site);
      cli.clear();
      assertThat(cli.run(args)).as(cli.out() + cli.err()).isEqualTo(AuditCommand.BROKEN);
      assertThat(cli.err()).contains("BROKEN: site " + site + ", position 4: bundle hash does not match the "
          + "signed content of bundle b3");
      assertThat(refused).doesNotExist();

      cli.clear();
      assertThat(cli.run("audit", "export", "--site", "nowhere", "--from", "2026-01-01", "--to", "2026-02-01",
          "--jdbc-url", fx.jdbcUrl(), "--data-dir", data.toString(), "--out", first.toString())).isEqualTo(2);
      assertThat(cli.err()).contains("unknown site nowhere");
    }
  }

  private static void awaitProjected(AuditFixture fx, String site, int bundles) {
    String bySite = " WHERE site_id = '" + site + "'";
    Await.until(() -> bundles + " sealed bundles projected, with the log: " + fx.status(), AuditFixture.await(),
        () -> fx.count("SELECT count(*) FROM evidence_bundles" + bySite) == bundles
            && fx.count("SELECT coalesce(max(tree_size), 0) FROM evidence_log_heads" + bySite) == bundles);
  }

  private static void update(AuditFixture fx, String sql, String site) {
    int rows = fx.jdbi.withHandle(h -> h.createUpdate(sql).bind(0, site).execute());
    assertThat(rows).as("rows tampered with").isEqualTo(1);
  }
}
