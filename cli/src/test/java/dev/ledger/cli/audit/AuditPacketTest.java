package dev.ledger.cli.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ledger.cli.audit.PacketFiles.Run;
import dev.ledger.cli.audit.PacketSource.Bundle;
import dev.ledger.events.CanonicalJson;
import dev.ledger.events.CheckStatus;
import dev.ledger.events.EventSerde;
import dev.ledger.events.EvidenceCheck;
import dev.ledger.events.EvidenceSubmitted;
import dev.ledger.events.crypto.Hashing;
import dev.ledger.events.crypto.Signing;
import dev.ledger.events.merkle.Checkpoint;
import dev.ledger.events.merkle.EvidenceLog;
import dev.ledger.events.merkle.LedgerKey;
import dev.ledger.events.merkle.MemoryTree;
import dev.ledger.events.rules.EvidenceChain;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The packet from a chain built in memory: deterministic bytes, and its verify.sh run with the real sh, openssl
 * and sha256sum, passing on the packet and failing, by name, on each kind of tampering.
 */
class AuditPacketTest {
  private static final Instant T0 = Instant.parse("2026-03-01T08:00:00Z");
  private static final LedgerKey KEY = new LedgerKey(EvidenceLog.DEFAULT_LEDGER_NAME, Signing.generateKeyPair());
  private static final Instant FROM = Instant.parse("2026-03-01T09:00:00Z");
  private static final Instant TO = Instant.parse("2026-04-01T00:00:00Z");
  private static final String APPLIANCE_KEY = Signing.encodePublicKey(Signing.generateKeyPair().getPublic());

  @Test
  void samePacketTwiceIsByteIdenticalAndItsOscalPointsAtItsBundles() throws Exception {
    byte[] first = AuditPacket.build("s1", FROM, TO, data(7, 2), KEY).zip();
    byte[] second = AuditPacket.build("s1", FROM, TO, data(7, 2), KEY).zip();

    assertThat(Hashing.sha256Hex(second)).isEqualTo(Hashing.sha256Hex(first));
    SortedMap<String, byte[]> files = PacketFiles.entries(first);
    assertThat(files.keySet()).containsExactly("README.md", "appliances.json", "bundles.jsonl", "chain.jsonl",
        "chain.txt", "checkpoint.note", "hipaa-summary.json", "ledger-key.pem", "ledger-key.txt", "manifest.sha256",
        "manifest.sig", "oscal-assessment-results.json", "packet.txt", "proofs.txt", "verify.sh");
    JsonNode oscal = EventSerde.mapper().readTree(files.get("oscal-assessment-results.json"));
    JsonNode result = oscal.path("assessment-results").path("results").get(0);
    assertThat(oscal.path("assessment-results").path("metadata").path("oscal-version").asText()).isEqualTo("1.1.2");
    assertThat(result.path("observations")).hasSize(12);
    assertThat(result.path("observations").get(0).path("relevant-evidence").get(0).path("href").asText())
        .isEqualTo("bundles.jsonl#chain-position=2");
    assertThat(result.path("reviewed-controls").path("control-selections").get(0).path("include-controls")
        .get(0).path("control-id").asText()).isEqualTo("hipaa-164.308-a-7");
    JsonNode hipaa = EventSerde.mapper().readTree(files.get("hipaa-summary.json"));
    assertThat(hipaa.path("controls").get(0).path("control").asText()).isEqualTo("164.308(a)(7)");
    assertThat(hipaa.path("controls").get(0).path("results").asInt()).isEqualTo(6);
  }

  @Test
  void verifyShPassesOnThePacketWithTheLedgerKeyOrItsFingerprint() throws Exception {
    Path dir = PacketFiles.unpack(PacketFiles.entries(AuditPacket.build("s1", FROM, TO, data(7, 2), KEY).zip()));
    Path realKey = Files.writeString(Files.createTempFile("ledger-key", ".pem"),
        AuditPacket.pem(KEY.publicKey().getEncoded()));
    Run run = PacketFiles.verify(dir, realKey.toString());
    assertThat(run.status()).as(run.output()).isZero();
    assertThat(run.output()).contains("ok: 6 bundle hashes, chain links (positions 2..7, none missing) and Merkle")
        .contains("PASS: packet of site s1");

    run = PacketFiles.verify(dir, "--fingerprint", fingerprint(KEY).toUpperCase(java.util.Locale.ROOT));
    assertThat(run.status()).as(run.output()).isZero();
    assertThat(run.output()).contains("PASS: packet of site s1");
  }

  @Test
  void verifyShNeverPassesOnTheKeyThePacketCarries() throws Exception {
    // A packet made whole by someone with a key of their own: consistent, signed, and not the ledger's.
    LedgerKey forger = new LedgerKey(EvidenceLog.DEFAULT_LEDGER_NAME, Signing.generateKeyPair());
    Path dir = PacketFiles.unpack(PacketFiles.entries(
        AuditPacket.build("s1", FROM, TO, data(7, 2, forger), forger).zip()));

    Run unpinned = PacketFiles.verify(dir);
    assertThat(unpinned.status()).as(unpinned.output()).isEqualTo(3);
    assertThat(unpinned.output()).contains("NOT VERIFIED").contains("--fingerprint " + fingerprint(forger))
        .doesNotContain("PASS");

    Run pinned = PacketFiles.verify(dir, "--fingerprint", fingerprint(KEY));
    assertThat(pinned.status()).as(pinned.output()).isEqualTo(1);
    assertThat(pinned.output()).contains("FAIL: ledger-key.pem: its fingerprint " + fingerprint(forger)
        + " is not the published " + fingerprint(KEY));

    Run badUsage = PacketFiles.verify(dir, "--fingerprint", "abc");
    assertThat(badUsage.status()).as(badUsage.output()).isEqualTo(2);
    assertThat(badUsage.output()).contains("the fingerprint must be 64 hex digits");
  }

  private static String fingerprint(LedgerKey key) {
    return Hashing.sha256Hex(key.publicKey().getEncoded());
  }

  @Test
  void verifyShNamesWhatWasTamperedWith() throws Exception {
    SortedMap<String, byte[]> packet = PacketFiles.entries(AuditPacket.build("s1", FROM, TO, data(7, 2), KEY).zip());
    Path realKey = Files.createTempFile("ledger-key", ".pem");
    Files.write(realKey, packet.get("ledger-key.pem"));

    // One byte of a bundle changed, the manifest left alone.
    SortedMap<String, byte[]> edited = edit(packet, "bundles.jsonl", t -> t.replaceFirst("\"pass\"", "\"fail\""));
    assertThat(assertFails(edited, "manifest.sha256: the file(s) above do not match"))
        .contains("bundles.jsonl: FAILED");

    // The manifest recomputed and signed by someone else's key, which also replaced the packet's copy.
    LedgerKey forger = new LedgerKey(EvidenceLog.DEFAULT_LEDGER_NAME, Signing.generateKeyPair());
    SortedMap<String, byte[]> forged = resign(edited, forger);
    forged.put("ledger-key.pem", AuditPacket.pem(forger.publicKey().getEncoded()).getBytes(StandardCharsets.UTF_8));
    assertThat(assertFails(resign(forged, forger), "manifest.sig: not a valid Ed25519 signature",
        realKey.toString())).contains(realKey.toString());

    // Whoever holds the ledger key re-signs the manifest: the chain and the log still catch each change.
    assertFails(resign(edited, KEY), "bundle at chain position 2 (line 1 of bundles.jsonl): its SHA-256 is");
    // chain.txt lines read "position bundle_hash prev_hash chain_hash".
    assertFails(resign(edit(packet, "chain.txt", t -> flipField(t, "3", 3)), KEY),
        "chain link at position 3: chain_hash");
    assertFails(resign(edit(packet, "chain.txt", t -> flipField(t, "3", 2)), KEY),
        "chain link at position 3: prev_hash");
    assertFails(resign(edit(packet, "proofs.txt", t -> t.replaceFirst("(?m)^(4 7 )\\S", "$10")), KEY),
        "Merkle inclusion of position 4: the proof leads to root");
    assertFails(resign(edit(packet, "checkpoint.note", t -> t.replaceFirst("\n7\n", "\n8\n")), KEY),
        "checkpoint.note: not a valid signature of the checkpoint by the ledger key");
    SortedMap<String, byte[]> dropped = edit(packet, "bundles.jsonl", t -> t.substring(t.indexOf('\n') + 1));
    assertFails(resign(edit(dropped, "chain.txt", t -> t.substring(t.indexOf('\n') + 1)), KEY),
        "chain.txt: the first link is at position 3, packet.txt says first_position=2");

    // A bundle left out of the middle (position 4, the third line), with every count made to agree.
    SortedMap<String, byte[]> gap = packet;
    for (String file : List.of("bundles.jsonl", "chain.txt", "proofs.txt")) {
      gap = edit(gap, file, AuditPacketTest::withoutThirdLine);
    }
    gap = edit(gap, "packet.txt", t -> t.replace("\nbundles=6\n", "\nbundles=5\n"));
    assertFails(resign(gap, KEY), "chain.txt: position 5 follows position 3 (a link is missing or out of order)");

    // The last bundle left out: caught by last_position.
    SortedMap<String, byte[]> tail = packet;
    for (String file : List.of("bundles.jsonl", "chain.txt", "proofs.txt")) {
      tail = edit(tail, file, t -> t.substring(0, t.lastIndexOf('\n', t.length() - 2) + 1));
    }
    tail = edit(tail, "packet.txt", t -> t.replace("\nbundles=6\n", "\nbundles=5\n"));
    assertFails(resign(tail, KEY), "chain.txt: the last link is at position 6, packet.txt says last_position=7");

    // An extra proof line.
    assertFails(resign(edit(packet, "proofs.txt", t -> t + "8 7\n"), KEY), "proofs.txt: more lines than links");
  }

  /** The text with the first hex digit changed in field {@code field} (0-based) of the line starting {@code first}. */
  private static String flipField(String text, String first, int field) {
    List<String> lines = new ArrayList<>(List.of(text.split("\n", -1)));
    for (int i = 0; i < lines.size(); i++) {
      String[] fields = lines.get(i).split(" ");
      if (fields[0].equals(first)) {
        char c = fields[field].charAt(0);
        fields[field] = (c == '0' ? '1' : '0') + fields[field].substring(1);
        lines.set(i, String.join(" ", fields));
        return String.join("\n", lines);
      }
    }
    throw new AssertionError("no line starts with " + first);
  }

  private static String withoutThirdLine(String text) {
    List<String> lines = new ArrayList<>(List.of(text.split("\n", -1)));
    lines.remove(2);
    return String.join("\n", lines);
  }

  /** Runs verify.sh with {@code args}; asserts it fails with {@code expected}; returns what it printed. */
  private static String assertFails(SortedMap<String, byte[]> files, String expected, String... args)
      throws Exception {
    Run run = PacketFiles.verify(PacketFiles.unpack(files), args);
    assertThat(run.status()).as(run.output()).isEqualTo(1);
    assertThat(run.output()).contains("FAIL: " + expected);
    return run.output();
  }

  private interface Edit {
    String apply(String text);
  }

  private static SortedMap<String, byte[]> edit(SortedMap<String, byte[]> files, String name, Edit edit) {
    SortedMap<String, byte[]> copy = new TreeMap<>(files);
    String before = new String(files.get(name), StandardCharsets.UTF_8);
    String after = edit.apply(before);
    assertThat(after).as("the edit of " + name + " changed something").isNotEqualTo(before);
    copy.put(name, after.getBytes(StandardCharsets.UTF_8));
    return copy;
  }

  /** The files with the manifest recomputed and signed by {@code key}. */
  private static SortedMap<String, byte[]> resign(SortedMap<String, byte[]> files, LedgerKey key) {
    SortedMap<String, byte[]> copy = new TreeMap<>(files);
    copy.remove(AuditPacket.MANIFEST);
    copy.remove(AuditPacket.SIGNATURE);
    StringBuilder manifest = new StringBuilder();
    copy.forEach((n, b) -> manifest.append(Hashing.sha256Hex(b)).append("  ").append(n).append('\n'));
    byte[] bytes = manifest.toString().getBytes(StandardCharsets.UTF_8);
    copy.put(AuditPacket.MANIFEST, bytes);
    copy.put(AuditPacket.SIGNATURE, key.signBytes(bytes));
    return copy;
  }

  /**
   * A chain of {@code links} bundles of site s1, of which those from position {@code first} are exported, and a
   * checkpoint of the whole chain published by {@link #KEY}.
   */
  static PacketSource.Data data(int links, int first) {
    return data(links, first, KEY);
  }

  static PacketSource.Data data(int links, int first, LedgerKey publisher) {
    MemoryTree tree = new MemoryTree();
    List<Bundle> bundles = new ArrayList<>();
    String prev = EvidenceChain.GENESIS_PREV_HASH;
    for (int p = 1; p <= links; p++) {
      Instant at = T0.plusSeconds(3600L * p);
      EvidenceSubmitted payload = new EvidenceSubmitted("b" + p, at, List.of(
          new EvidenceCheck("backup", p % 3 == 0 ? CheckStatus.FAIL : CheckStatus.PASS, "host-1", null,
              "164.308(a)(7)"),
          new EvidenceCheck("encryption", CheckStatus.PASS, null, null, "164.312(a)(2)(iv)")));
      byte[] canonical = CanonicalJson.bytes(payload);
      String bundleHash = Hashing.sha256Hex(canonical);
      String chainHash = EvidenceChain.chainHash(bundleHash, prev, p);
      tree.appendHash(EvidenceLog.leafHash(bundleHash, prev, p));
      if (p >= first) {
        bundles.add(new Bundle(p, "b" + p, "app-1", at, bundleHash, prev, chainHash, "c2lnbmF0dXJl",
            new UUID(0, p).toString(), canonical, payload));
      }
      prev = chainHash;
    }
    String note = publisher.sign(new Checkpoint(publisher.origin("s1"), links, tree.root()));
    return new PacketSource.Data(bundles, tree, List.of(new PacketSource.Appliance("app-1", "host-1",
        APPLIANCE_KEY)), new PacketSource.StoredCheckpoint(links, note));
  }
}
