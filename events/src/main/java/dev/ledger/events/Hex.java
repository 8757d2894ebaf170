package dev.ledger.events;

/** Checks of lowercase hexadecimal text (pattern signatures, SHA-256 digests), without a regular expression. */
public final class Hex {
  private Hex() {
  }

  /** Whether {@code text} is exactly {@code length} digits of {@code [0-9a-f]}. */
  public static boolean isLowercase(String text, int length) {
    if (text == null || text.length() != length) {
      return false;
    }
    for (int i = 0; i < length; i++) {
      char c = text.charAt(i);
      if ((c < '0' || c > '9') && (c < 'a' || c > 'f')) {
        return false;
      }
    }
    return true;
  }
}
