package dev.ledger.events.rules;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ledger.events.CanonicalJson;
import dev.ledger.events.Hex;
import dev.ledger.events.EvidenceSubmitted;
import dev.ledger.events.crypto.Hashing;
import java.time.Duration;

/**
 * The evidence chain rule, per site: positions count from 1; each link's {@code prev_hash} is the previous link's
 * {@code chain_hash} ({@link #GENESIS_PREV_HASH} for the first); {@code chain_hash} is the lowercase hex SHA-256 of
 * the UTF-8 text {@code bundle_hash + ":" + prev_hash + ":" + chain_position}; {@code bundle_hash} is the SHA-256
 * of the bundle's canonical JSON. A bundle whose {@code checked_at} is more than {@link #MAX_FUTURE_SKEW} ahead of
 * the sealer's clock is rejected; a bundle whose hash was already sealed for the site within {@link #DEDUPE_WINDOW}
 * is dropped as a duplicate.
 */
public final class EvidenceChain {

  /** The {@code prev_hash} of the first link of a chain: 64 zeros. */
  public static final String GENESIS_PREV_HASH = "0".repeat(64);
  /** How far ahead of the sealer's clock a bundle's {@code checked_at} may be. */
  public static final Duration MAX_FUTURE_SKEW = Duration.ofMinutes(2);
  /** How long a sealed bundle hash drops a resubmission of the same bundle at the same site. */
  public static final Duration DEDUPE_WINDOW = Duration.ofMinutes(15);

  private EvidenceChain() {
  }

  /** The hash of a bundle: SHA-256 hex of its canonical JSON. */
  public static String bundleHash(JsonNode bundle) {
    return Hashing.sha256Hex(CanonicalJson.bytes(bundle));
  }

  /** The hash of a submitted bundle: SHA-256 hex of the canonical JSON of the event payload. */
  public static String bundleHash(EvidenceSubmitted bundle) {
    return Hashing.sha256Hex(CanonicalJson.bytes(bundle));
  }

  /** The chain hash of the link at {@code position} (from 1) holding {@code bundleHash} after {@code prevHash}. */
  public static String chainHash(String bundleHash, String prevHash, long position) {
    requireHex(bundleHash, "bundle hash");
    requireHex(prevHash, "previous hash");
    if (position < 1) {
      throw new IllegalArgumentException("chain positions start at 1, was " + position);
    }
    return Hashing.sha256Hex(bundleHash + ":" + prevHash + ":" + position);
  }

  private static void requireHex(String hash, String what) {
    if (!Hex.isLowercase(hash, 64)) {
      throw new IllegalArgumentException(what + " must be 64 lowercase hex digits: " + hash);
    }
  }
}
