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

  private static final String[] SIGNATURES = new String[977];
  private static final String HEX = "0123456789abcdef";

  static {
    for (int i = 0; i < SIGNATURES.length; i++) {
      SIGNATURES[i] = String.format("%016x", (long) i * 0x9E3779B97F4A7C15L);
    }
  }

  /** A pattern signature (16 hex), one of 977 so that patterns recur. */
  static String signature(int i) {
    return SIGNATURES[i % SIGNATURES.length];
  }

  /** {@code INC-<14-digit time><6-digit micros><4 hex>}, unique per i; built without String.format (hot path). */
  static String incidentId(int i) {
    StringBuilder sb = new StringBuilder(28).append("INC-").append(20261101000000L + i / 1_000_000);
    String micros = Integer.toString(i % 1_000_000);
    sb.append("000000", 0, 6 - micros.length()).append(micros);
    for (int shift = 12; shift >= 0; shift -= 4) {
      sb.append(HEX.charAt((i >>> shift) & 0xf));
    }
    return sb.toString();
  }

  static Instant detectedAt(int i) {
    return EPOCH.plus(i, ChronoUnit.SECONDS);
  }

  /** A JSON document of about 300 bytes, like an incident event on the wire. */
  static String json(int i, SplittableRandom random) {
    return "{\"event_id\":\"0193a1b2-" + String.format("%04x", i & 0xffff) + "-7abc-8def-0123456789ab\","
        + "\"type\":\"incident.detected\",\"site_id\":\"" + siteId(i) + "\","
        + "\"occurred_at\":\"" + detectedAt(i) + "\","
        + "\"payload\":{\"incident_id\":\"" + incidentId(i) + "\",\"hostname\":\"ws-" + random.nextInt(500)
        + "\",\"incident_type\":\"" + TYPES[i % TYPES.length] + "\",\"severity\":\""
        + SEVERITIES[i % SEVERITIES.length] + "\",\"pattern_signature\":\"" + signature(i)
        + "\"}}";
  }
}
