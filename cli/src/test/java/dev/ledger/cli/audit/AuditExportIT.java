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
 * {@code ledger audit export} on evidence sealed by the real Streams app and projected by the real projectors:
 * two exports are byte-identical, and the packet's verify.sh passes on it and fails on a tampered copy.
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
      Await.until(() -> "8 sealed bundles projected: " + fx.status(), AuditFixture.await(),
          () -> fx.count("SELECT count(*) FROM evidence_bundles WHERE site_id = '" + site + "'") == 8);

      // Bundles 2..7 of the chain (positions 3..8): the packet starts mid-chain.
      Path first = data.resolve("first.zip");
      Path second = data.resolve("second.zip");
      String from = now.minus(Duration.ofDays(6)).minusSeconds(1).toString();
      CliHarness cli = new CliHarness();
      String[] args = {"audit", "export", "--site", site, "--from", from, "--to", now.toString(), "--jdbc-url",
          fx.jdbcUrl(), "--data-dir", data.toString(), "--out", first.toString()};
      assertThat(cli.run(args)).as(cli.err()).isZero();
      assertThat(cli.out()).contains("6 bundles (chain positions 3..8)");
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

      cli.clear();
      assertThat(cli.run("audit", "export", "--site", "nowhere", "--from", "2026-01-01", "--to", "2026-02-01",
          "--jdbc-url", fx.jdbcUrl(), "--data-dir", data.toString(), "--out", first.toString())).isEqualTo(2);
      assertThat(cli.err()).contains("unknown site nowhere");
    }
  }
}
