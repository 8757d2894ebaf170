package dev.ledger.cli.audit;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ledger.cli.audit.PacketSource.Bundle;
import dev.ledger.events.CheckStatus;
import dev.ledger.events.EventSerde;
import dev.ledger.events.EvidenceCheck;
import dev.ledger.events.EvidenceSubmitted;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;

/**
 * The human-facing parts of an audit packet, pure functions of its bundles: a summary per HIPAA control and a
 * NIST OSCAL 1.1.2 assessment-results document whose observations point at the bundles of the packet. Every
 * identifier is a name-based (version 5) UUID of the packet's content, so the same bundles give the same bytes.
 */
final class AuditReports {
  static final String OSCAL_VERSION = "1.1.2";
  /** Namespace of the packet's OSCAL UUIDs (a fixed, random v4 UUID). */
  private static final UUID NAMESPACE = UUID.fromString("6f1d3a52-54a8-4b3e-9c1e-2a7d0f5b8c41");
  private static final String NS = "https://ledger.dev/ns/oscal";
  private static final String NO_CONTROL = "(none)";

  private AuditReports() {
  }

  /** One check result of a bundle. */
  record Finding(Bundle bundle, EvidenceCheck check) {
  }

  static List<Finding> findings(List<Bundle> bundles) {
    return bundles.stream().flatMap(b -> payload(b).checks().stream().map(c -> new Finding(b, c))).toList();
  }

  /** Per HIPAA control: results by status, hosts, check types, bundles and the first and last check time. */
  static ObjectNode hipaaSummary(String siteId, Instant from, Instant to, List<Bundle> bundles) {
    Map<String, List<Finding>> byControl = new TreeMap<>();
    for (Finding f : findings(bundles)) {
      String control = f.check().hipaaControl() == null ? NO_CONTROL : f.check().hipaaControl();
      byControl.computeIfAbsent(control, k -> new ArrayList<>()).add(f);
    }
    ObjectNode root = EventSerde.mapper().createObjectNode();
    root.put("site_id", siteId);
    root.put("from", from.toString());
    root.put("to", to.toString());
    root.put("framework", "HIPAA Security Rule (45 CFR Part 164, Subpart C)");
    ArrayNode controls = root.putArray("controls");
    byControl.forEach((control, list) -> {
      Map<CheckStatus, Integer> counts = new EnumMap<>(CheckStatus.class);
      for (CheckStatus s : CheckStatus.values()) {
        counts.put(s, 0);
      }
      TreeSet<String> hosts = new TreeSet<>();
      TreeSet<String> types = new TreeSet<>();
      TreeSet<Long> positions = new TreeSet<>();
      Instant first = null;
      Instant last = null;
      for (Finding f : list) {
        counts.merge(f.check().status(), 1, Integer::sum);
        hosts.add(host(f));
        types.add(f.check().checkType());
        positions.add(f.bundle().position());
        Instant at = payload(f.bundle()).checkedAt();
        first = first == null || at.isBefore(first) ? at : first;
        last = last == null || at.isAfter(last) ? at : last;
      }
      ObjectNode c = controls.addObject();
      c.put("control", control);
      c.put("results", list.size());
      counts.forEach((s, n) -> c.put(s.wire(), n));
      c.put("pass_rate", String.format(Locale.ROOT, "%.1f%%", 100.0 * counts.get(CheckStatus.PASS)
          / list.size()));
      c.put("first_checked_at", first.toString());
      c.put("last_checked_at", last.toString());
      hosts.forEach(c.putArray("hosts")::add);
      types.forEach(c.putArray("check_types")::add);
      positions.forEach(c.putArray("chain_positions")::add);
    });
    return root;
  }

  /** OSCAL assessment results: one result over the period, one observation per check result of a bundle. */
  static ObjectNode oscal(String siteId, Instant from, Instant to, List<Bundle> bundles, String checkpointRoot) {
    String seed = siteId + "|" + from + "|" + to + "|" + checkpointRoot;
    Instant lastModified = bundles.stream().map(b -> payload(b).checkedAt()).max(Instant::compareTo).orElse(to);
    ObjectNode root = EventSerde.mapper().createObjectNode();
    ObjectNode ar = root.putObject("assessment-results");
    ar.put("uuid", uuid(seed, "assessment-results").toString());
    ObjectNode metadata = ar.putObject("metadata");
    metadata.put("title", "Compliance evidence of site " + siteId + " from " + from + " to " + to);
    metadata.put("last-modified", lastModified.toString());
    metadata.put("version", checkpointRoot);
    metadata.put("oscal-version", OSCAL_VERSION);
    // No assessment plan travels with the packet; the import points at this document's own back matter.
    ar.putObject("import-ap").put("href", "#" + uuid(seed, "assessment-plan"));
    ObjectNode result = ar.putArray("results").addObject();
    result.put("uuid", uuid(seed, "result").toString());
    result.put("title", "Sealed evidence of site " + siteId);
    result.put("description", "Check results collected by the site's compliance appliances, sealed in the site's "
        + "hash chain and Merkle log. Each observation points at its bundle in bundles.jsonl of this packet.");
    result.put("start", from.toString());
    result.put("end", to.toString());
    ObjectNode selection = result.putObject("reviewed-controls").putArray("control-selections").addObject();
    ArrayNode include = selection.putArray("include-controls");
    TreeSet<String> controls = new TreeSet<>();
    List<Finding> findings = findings(bundles);
    findings.stream().filter(f -> f.check().hipaaControl() != null)
        .forEach(f -> controls.add(f.check().hipaaControl()));
    controls.forEach(c -> include.addObject().put("control-id", controlId(c)));
    if (controls.isEmpty()) {
      selection.remove("include-controls");
      selection.putObject("include-all");
    }
    ArrayNode observations = result.putArray("observations");
    Map<Long, Integer> lines = new TreeMap<>();
    for (int i = 0; i < bundles.size(); i++) {
      lines.put(bundles.get(i).position(), i + 1);
    }
    int n = 0;
    for (Finding f : findings) {
      n++;
      Bundle b = f.bundle();
      ObjectNode o = observations.addObject();
      o.put("uuid", uuid(seed, "observation|" + b.position() + "|" + n).toString());
      o.put("title", f.check().checkType() + " on " + host(f) + ": " + f.check().status().wire());
      o.put("description", "Check " + f.check().checkType() + " of host " + host(f) + " reported "
          + f.check().status().wire() + " in bundle " + b.bundleId() + " (chain position " + b.position() + ").");
      ArrayNode props = o.putArray("props");
      prop(props, "check-type", f.check().checkType());
      prop(props, "status", f.check().status().wire());
      prop(props, "chain-position", Long.toString(b.position()));
      prop(props, "bundle-hash", b.bundleHash());
      if (f.check().hipaaControl() != null) {
        prop(props, "hipaa-control", f.check().hipaaControl());
      }
      o.putArray("methods").add("TEST");
      o.putArray("types").add("finding");
      ObjectNode subject = o.putArray("subjects").addObject();
      subject.put("subject-uuid", uuid(seed, "host|" + host(f)).toString());
      subject.put("type", "inventory-item");
      subject.put("title", host(f));
      o.put("collected", payload(b).checkedAt().toString());
      ObjectNode evidence = o.putArray("relevant-evidence").addObject();
      evidence.put("href", "bundles.jsonl#chain-position=" + b.position());
      evidence.put("description", "Bundle " + b.bundleId() + ", SHA-256 " + b.bundleHash() + ", line "
          + lines.get(b.position()) + " of bundles.jsonl");
    }
    ObjectNode plan = ar.putObject("back-matter").putArray("resources").addObject();
    plan.put("uuid", uuid(seed, "assessment-plan").toString());
    plan.put("title", "Assessment plan");
    plan.put("description", "The checks are those the site's compliance appliances run on their schedule; no "
        + "separate assessment plan document is part of this packet.");
    return root;
  }

  /** An OSCAL token for a HIPAA citation such as {@code 164.312(a)(2)(iv)}: {@code hipaa-164.312-a-2-iv}. */
  static String controlId(String citation) {
    String token = citation.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9.]+", "-")
        .replaceAll("-+$", "").replaceAll("^-+", "");
    return "hipaa-" + token;
  }

  /** A version-5 (SHA-1, name-based) UUID of {@code name} in the packet's namespace, salted by {@code seed}. */
  static UUID uuid(String seed, String name) {
    byte[] ns = ByteBuffer.allocate(16).putLong(NAMESPACE.getMostSignificantBits())
        .putLong(NAMESPACE.getLeastSignificantBits()).array();
    byte[] text = (seed + "|" + name).getBytes(StandardCharsets.UTF_8);
    byte[] hash = sha1(ByteBuffer.allocate(ns.length + text.length).put(ns).put(text).array());
    hash[6] = (byte) ((hash[6] & 0x0f) | 0x50);
    hash[8] = (byte) ((hash[8] & 0x3f) | 0x80);
    ByteBuffer b = ByteBuffer.wrap(hash, 0, 16);
    return new UUID(b.getLong(), b.getLong());
  }

  private static byte[] sha1(byte[] bytes) {
    try {
      return java.security.MessageDigest.getInstance("SHA-1").digest(bytes);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-1", e);
    }
  }

  private static void prop(ArrayNode props, String name, String value) {
    props.addObject().put("name", name).put("ns", NS).put("value", value);
  }

  private static String host(Finding f) {
    return f.check().hostname() == null ? f.bundle().applianceId() : f.check().hostname();
  }

  private static EvidenceSubmitted payload(Bundle b) {
    return b.payload();
  }
}
