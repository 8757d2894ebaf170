package dev.ledger.events.merkle;

import dev.ledger.events.EvidenceSealed;
import java.nio.charset.StandardCharsets;

/**
 * What the ledger's Merkle logs contain. There is <b>one log per site</b>, over that site's sealed evidence chain:
 * leaf {@code i} is the link at {@code chain_position = i + 1}. A site's chain is sealed by one Streams task from
 * one partition of the site-keyed sealed-evidence topic, so the order is fixed once written and every replay
 * builds the same log; a global log would interleave partitions in an order no replay can reproduce.
 *
 * <p>The leaf data of a link is the UTF-8 text {@code bundle_hash + ":" + prev_hash + ":" + chain_position} (hashes
 * lowercase hex, position decimal): exactly the text whose SHA-256 is the link's {@code chain_hash}. It commits to
 * the bundle (through the SHA-256 of its canonical JSON), to the position and to the whole history before it, and
 * a verifier holding only a bundle and its link recomputes it with {@code printf} and {@code sha256sum}:
 * leaf hash = {@code SHA-256(0x00 || leaf data)}.
 *
 * <p>A site's log is named by the checkpoint origin {@code <ledger name>/evidence/<site id>}.
 */
public final class EvidenceLog {
  /** The ledger name used when none is configured: key name of the checkpoint signatures, start of origins. */
  public static final String DEFAULT_LEDGER_NAME = "compliance-ledger";

  private EvidenceLog() {
  }

  /** The leaf data of the chain link at {@code chainPosition}. */
  public static byte[] leafData(String bundleHash, String prevHash, long chainPosition) {
    return (bundleHash + ":" + prevHash + ":" + chainPosition).getBytes(StandardCharsets.UTF_8);
  }

  /** The leaf hash of a chain link. */
  public static byte[] leafHash(String bundleHash, String prevHash, long chainPosition) {
    return MerkleHash.leaf(leafData(bundleHash, prevHash, chainPosition));
  }

  /** The leaf hash of a sealed link. */
  public static byte[] leafHash(EvidenceSealed link) {
    return leafHash(link.bundleHash(), link.prevHash(), link.chainPosition());
  }

  /** The leaf index of a chain position (positions count from 1, leaves from 0). */
  public static long leafIndex(long chainPosition) {
    if (chainPosition < 1) {
      throw new IllegalArgumentException("chain positions start at 1, was " + chainPosition);
    }
    return chainPosition - 1;
  }

  /** The checkpoint origin of a site's log. */
  public static String origin(String ledgerName, String siteId) {
    if (siteId == null || siteId.isBlank() || siteId.chars().anyMatch(c -> c == '\n' || c == '\r')) {
      throw new IllegalArgumentException("a site id for a log origin is one non-blank line: " + siteId);
    }
    return ledgerName + "/evidence/" + siteId;
  }
}
