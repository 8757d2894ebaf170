package dev.ledger.events.crypto;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** SHA-256 as lowercase hex, the one hash of the ledger (pattern signatures, evidence bundles and chains). */
public final class Hashing {

  private Hashing() {
  }

  /** The SHA-256 digest of the bytes. */
  public static byte[] sha256(byte[] bytes) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(bytes);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

  /** The SHA-256 digest of the bytes as 64 lowercase hex digits. */
  public static String sha256Hex(byte[] bytes) {
    return HexFormat.of().formatHex(sha256(bytes));
  }

  /** The SHA-256 digest of the UTF-8 encoding of the text as 64 lowercase hex digits. */
  public static String sha256Hex(String text) {
    return sha256Hex(text.getBytes(StandardCharsets.UTF_8));
  }
}
