package dev.ledger.cli.bench;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.SplittableRandom;

/** Deterministic incident-like rows and ~300-byte JSON records, the same shape in every raw scenario. */
final class BenchData {
  static final String[] TYPES = {"patching", "backup", "encryption", "firewall", "antivirus", "disk_space"};
  static final String[] SEVERITIES = {"low", "medium", "high", "critical"};
  static final String[] LEVELS = {"L1", "L2", "L3"};
  static final String[] OUTCOMES = {"success", "failure", "partial", "escalated", "timeout"};
  private static final Instant EPOCH = Instant.parse("2026-11-01T00:00:00Z");

  private BenchData() {}

  static String siteId(int i) {
    return "site-" + (i % 1000);
  }

  static String incidentId(int i) {
    return String.format("INC-%014d%06d%04x", 20261101000000L + i / 1_000_000, i % 1_000_000, i & 0xffff);
  }

  static Instant detectedAt(int i) {
    return EPOCH.plus(i, ChronoUnit.SECONDS);
  }

  /** A JSON document of about 300 bytes, like an incident event on the wire. */
  static String json(int i, SplittableRandom random) {
    return "{\"event_id\":\"0193a1b2-" + String.format("%04x", i & 0xffff) + "-7abc-8def-0123456789ab\","
        + "\"type\":\"incident.detected\",\"schema_version\":2,\"site_id\":\"" + siteId(i) + "\","
        + "\"appliance_id\":\"appliance-" + (i % 3000) + "\",\"occurred_at\":\"" + detectedAt(i) + "\","
        + "\"payload\":{\"incident_id\":\"" + incidentId(i) + "\",\"hostname\":\"ws-" + random.nextInt(500)
        + "\",\"incident_type\":\"" + TYPES[i % TYPES.length] + "\",\"severity\":\""
        + SEVERITIES[i % SEVERITIES.length] + "\",\"pattern_signature\":\"" + String.format("%016x", i % 977L)
        + "\"}}";
  }
}
