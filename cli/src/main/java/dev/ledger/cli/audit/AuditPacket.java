package dev.ledger.cli.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ledger.cli.audit.PacketSource.Appliance;
import dev.ledger.cli.audit.PacketSource.Bundle;
import dev.ledger.cli.audit.PacketSource.Data;
import dev.ledger.events.EventSerde;
import dev.ledger.events.crypto.Hashing;
import dev.ledger.events.merkle.Checkpoint;
import dev.ledger.events.merkle.EvidenceLog;
import dev.ledger.events.merkle.LedgerKey;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Builds the audit packet of a site and period: a deterministic zip (see {@link DeterministicZip}) whose every
 * file is a pure function of the bundles, the chain, the checkpoint and the ledger key (Ed25519 signatures are
 * deterministic), so the same input gives the same bytes. What each file holds is in the packet's README.md.
 */
final class AuditPacket {
  static final String MANIFEST = "manifest.sha256";
  static final String SIGNATURE = "manifest.sig";

  /** The packet: its zip bytes and what went into it. */
  record Built(byte[] zip, int bundles, long checkpointSize, String checkpointRoot) {
  }

  private AuditPacket() {
  }

  static Built build(String siteId, Instant from, Instant to, Data data, LedgerKey key) {
    List<Bundle> bundles = data.bundles();
    long last = bundles.get(bundles.size() - 1).position();
    String origin = key.origin(siteId);
    // Only a checkpoint the ledger published: the export never signs a tree head of its own (see
    // PacketSource.NotCheckpointed), and the bundles must be proven against it.
    String note = data.checkpoint().note();
    Checkpoint checkpoint = openStored(note, key, origin);
    if (checkpoint.size() < last) {
      throw new PacketSource.Mismatch("the checkpoint of size " + checkpoint.size() + " does not cover position "
          + last);
    }
    if (!java.util.Arrays.equals(checkpoint.root(), data.tree().root(checkpoint.size()))) {
      throw new PacketSource.Mismatch("the stored checkpoint of size " + checkpoint.size() + " has root "
          + hex(checkpoint.root()) + ", the chain in PostgreSQL gives " + hex(data.tree().root(checkpoint.size())));
    }
    String root = hex(checkpoint.root());

    SortedMap<String, byte[]> files = new TreeMap<>();
    StringBuilder jsonl = new StringBuilder();
    StringBuilder chain = new StringBuilder();
    StringBuilder chainJson = new StringBuilder();
    StringBuilder proofs = new StringBuilder();
    for (Bundle b : bundles) {
      jsonl.append(new String(b.canonical(), StandardCharsets.UTF_8)).append('\n');
      chain.append(b.position()).append(' ').append(b.bundleHash()).append(' ').append(b.prevHash()).append(' ')
          .append(b.chainHash()).append('\n');
      ObjectNode link = EventSerde.mapper().createObjectNode();
      link.put("chain_position", b.position()).put("bundle_id", b.bundleId()).put("appliance_id", b.applianceId())
          .put("checked_at", b.payload().checkedAt().toString()).put("event_id", b.eventId())
          .put("bundle_hash", b.bundleHash()).put("prev_hash", b.prevHash()).put("chain_hash", b.chainHash())
          .put("appliance_signature", b.signature());
      chainJson.append(link).append('\n');
      proofs.append(b.position()).append(' ').append(checkpoint.size());
      for (byte[] p : data.tree().inclusion(EvidenceLog.leafIndex(b.position()), checkpoint.size())) {
        proofs.append(' ').append(hex(p));
      }
      proofs.append('\n');
    }
    put(files, "bundles.jsonl", jsonl.toString());
    put(files, "chain.txt", chain.toString());
    put(files, "chain.jsonl", chainJson.toString());
    put(files, "proofs.txt", proofs.toString());
    put(files, "checkpoint.note", note);
    put(files, "ledger-key.pem", pem(key.publicKey().getEncoded()));
    put(files, "ledger-key.txt", key.verifier().text() + "\n");
    put(files, "appliances.json", pretty(appliances(data.appliances())));
    List<Bundle> inWindow = bundles.stream()
        .filter(b -> !b.checkedAt().isBefore(from) && b.checkedAt().isBefore(to)).toList();
    put(files, "hipaa-summary.json", pretty(AuditReports.hipaaSummary(siteId, from, to, inWindow)));
    put(files, "oscal-assessment-results.json", pretty(AuditReports.oscal(siteId, from, to, inWindow, root)));
    put(files, "packet.txt", "site_id=" + siteId + "\norigin=" + origin + "\nfrom=" + from + "\nto=" + to
        + "\nbundles=" + bundles.size() + "\nchecked_in_window=" + inWindow.size() + "\nfirst_position=" + bundles.get(0).position() + "\nlast_position="
        + last + "\ncheckpoint_size=" + checkpoint.size() + "\ncheckpoint_root=" + root + "\ncheckpoint_source="
        + "published\n");
    put(files, "README.md", readme(siteId, from, to, bundles.size(), inWindow.size(), checkpoint));
    files.put("verify.sh", resource("verify.sh"));

    StringBuilder manifest = new StringBuilder();
    files.forEach((name, bytes) -> manifest.append(Hashing.sha256Hex(bytes)).append("  ").append(name).append('\n'));
    byte[] manifestBytes = manifest.toString().getBytes(StandardCharsets.UTF_8);
    files.put(MANIFEST, manifestBytes);
    files.put(SIGNATURE, key.signBytes(manifestBytes));
    return new Built(DeterministicZip.write(files), bundles.size(), checkpoint.size(), root);
  }

  private static Checkpoint openStored(String note, LedgerKey key, String origin) {
    Checkpoint checkpoint;
    try {
      checkpoint = Checkpoint.open(note, key.verifier());
    } catch (RuntimeException e) {
      throw new PacketSource.Mismatch("the stored checkpoint does not verify with the ledger key: " + e.getMessage());
    }
    if (!checkpoint.origin().equals(origin)) {
      throw new PacketSource.Mismatch("the stored checkpoint is of log " + checkpoint.origin() + ", not " + origin);
    }
    return checkpoint;
  }

  private static ArrayNode appliances(List<Appliance> appliances) {
    ArrayNode array = EventSerde.mapper().createArrayNode();
    for (Appliance a : appliances) {
      array.addObject().put("appliance_id", a.applianceId()).put("hostname", a.hostname())
          .put("public_key", a.publicKey()).put("public_key_pem", pem(Base64.getDecoder().decode(a.publicKey())));
    }
    return array;
  }

  private static String readme(String siteId, Instant from, Instant to, int bundles, int inWindow,
      Checkpoint checkpoint) {
    String template = new String(resource("packet-README.md"), StandardCharsets.UTF_8);
    Map<String, String> values = new TreeMap<>(Map.of("{{in_window}}", Integer.toString(inWindow),
        "{{site}}", siteId, "{{from}}", from.toString(), "{{to}}", to.toString(), "{{bundles}}", Integer.toString(bundles), "{{origin}}", checkpoint.origin(),
        "{{size}}", Long.toString(checkpoint.size()), "{{checkpoint}}",
        "a checkpoint the ledger published (the first one that covers the last bundle)"));
    for (Map.Entry<String, String> v : values.entrySet()) {
      template = template.replace(v.getKey(), v.getValue());
    }
    return template;
  }

  static String pem(byte[] der) {
    String b64 = Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der);
    return "-----BEGIN PUBLIC KEY-----\n" + b64 + "\n-----END PUBLIC KEY-----\n";
  }

  private static String pretty(JsonNode node) {
    DefaultPrettyPrinter printer = new DefaultPrettyPrinter()
        .withObjectIndenter(new DefaultIndenter("  ", "\n"))
        .withArrayIndenter(new DefaultIndenter("  ", "\n"));
    try {
      return EventSerde.mapper().writer(printer).writeValueAsString(node) + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write JSON", e);
    }
  }

  private static void put(SortedMap<String, byte[]> files, String name, String text) {
    files.put(name, text.getBytes(StandardCharsets.UTF_8));
  }

  private static byte[] resource(String name) {
    try (InputStream in = AuditPacket.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + name);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String hex(byte[] bytes) {
    return HexFormat.of().formatHex(bytes);
  }
}
