package dev.ledger.api.http;

import dev.ledger.api.ApiException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;

/**
 * An opaque keyset position: the (time, id) of the last row of a page, for "the rows after this one" in the
 * order of the index. Clients pass {@code next_cursor} back as {@code cursor} and never look inside; a cursor the
 * API did not issue is a 400. A cursor only positions a query that is scoped to the caller anyway, so a forged
 * one shows nothing it should not.
 */
public record Cursor(Instant at, String id) {
  private static final String VERSION = "c1";

  public String encode() {
    String raw = VERSION + "|" + at.getEpochSecond() + "|" + at.getNano() + "|" + id;
    return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
  }

  /** The cursor in {@code text}, or null when absent; a 400 when it is not one this API issued. */
  public static Cursor decode(String text) {
    if (text == null) {
      return null;
    }
    try {
      String raw = new String(Base64.getUrlDecoder().decode(text), StandardCharsets.UTF_8);
      String[] parts = raw.split("\\|", 4);
      if (parts.length != 4 || !parts[0].equals(VERSION) || parts[3].isEmpty()) {
        throw new IllegalArgumentException("not a cursor");
      }
      int nanos = Integer.parseInt(parts[2]);
      if (nanos < 0 || nanos > 999_999_999) {
        throw new IllegalArgumentException("nanos");
      }
      return new Cursor(Instant.ofEpochSecond(Long.parseLong(parts[1]), nanos), parts[3]);
    } catch (RuntimeException e) {
      throw new ApiException.BadRequest("cursor is not one this API issued; pass next_cursor of the previous page");
    }
  }
}
