package dev.ledger.api.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sql.DataSource;

/**
 * API keys in {@code ledger_auth.api_keys} (V8): issued, rotated and revoked by the {@code ledger partners}
 * commands, checked by the API on every request. A key reads {@code lk_<key id>_<secret>}: the key id (8 random
 * bytes, hex) finds the row, the secret (32 random bytes, base64url) is never stored, only its SHA-256, which is
 * compared in constant time. The plain key exists only in the issuer's answer.
 */
public final class ApiKeys {
  /** The shape of a key; anything else is rejected before the database is asked. */
  static final Pattern FORMAT = Pattern.compile("lk_([0-9a-f]{16})_([A-Za-z0-9_-]{43})");
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final HexFormat HEX = HexFormat.of();
  /** Compared against when the key id is unknown: the SHA-256 of no secret anyone can present. */
  private static final byte[] NO_SUCH_KEY = new byte[32];

  private final DataSource dataSource;

  public ApiKeys(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  /** A key just issued: its id (safe to show and log) and the key itself (shown once, never stored). */
  public record Issued(String keyId, String key) {
    @Override
    public String toString() {
      return "Issued[keyId=" + keyId + ", key=***]";
    }
  }

  /** Issues a partner's key. */
  public Issued issuePartnerKey(String partnerId, String label, Instant now) throws SQLException {
    return issue("partner", requireId(partnerId, "partner id"), null, null, label, now);
  }

  /** Issues an appliance's key, for the appliance endpoints of the API. */
  public Issued issueApplianceKey(String applianceId, String siteId, String label, Instant now) throws SQLException {
    return issue("appliance", null, requireId(applianceId, "appliance id"), requireId(siteId, "site id"), label, now);
  }

  /** Issues a platform admin key. */
  public Issued issueAdminKey(String label, Instant now) throws SQLException {
    return issue("admin", null, null, null, label, now);
  }

  /** Whether any key, live or revoked, was ever issued to this partner. */
  public boolean knowsPartner(String partnerId) throws SQLException {
    try (Connection c = dataSource.getConnection()) {
      return count(c, "SELECT count(*) FROM ledger_auth.api_keys WHERE partner_id = ?", partnerId) > 0;
    }
  }

  /** Issues a new partner key and revokes every other live key of that partner, in one transaction. */
  public Issued rotatePartnerKey(String partnerId, String label, Instant now) throws SQLException {
    requireId(partnerId, "partner id");
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(false);
      try {
        try (PreparedStatement s = c.prepareStatement(
            "UPDATE ledger_auth.api_keys SET revoked_at = ? WHERE partner_id = ? AND revoked_at IS NULL")) {
          s.setTimestamp(1, Timestamp.from(now));
          s.setString(2, partnerId);
          s.executeUpdate();
        }
        Issued issued = insert(c, "partner", partnerId, null, null, label, now);
        c.commit();
        return issued;
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      }
    }
  }

  /** Revokes one key; false if there is no such live key. */
  public boolean revoke(String keyId, Instant now) throws SQLException {
    try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(
        "UPDATE ledger_auth.api_keys SET revoked_at = ? WHERE key_id = ? AND revoked_at IS NULL")) {
      s.setTimestamp(1, Timestamp.from(now));
      s.setString(2, keyId);
      return s.executeUpdate() == 1;
    }
  }

  /**
   * The caller a presented key stands for, or empty if the key is malformed, unknown, revoked or wrong. The
   * caller learns only that the key was not accepted.
   */
  public Optional<Caller> authenticate(String presented) throws SQLException {
    Matcher m = presented == null ? null : FORMAT.matcher(presented);
    if (m == null || !m.matches()) {
      return Optional.empty();
    }
    String keyId = m.group(1);
    byte[] presentedHash = sha256(m.group(2));
    try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement("""
        SELECT secret_hash, role, partner_id, appliance_id, site_id
        FROM ledger_auth.api_keys WHERE key_id = ? AND revoked_at IS NULL""")) {
      s.setString(1, keyId);
      try (ResultSet rs = s.executeQuery()) {
        // An unknown key id still costs one comparison, so that timing does not tell known ids from unknown.
        boolean known = rs.next();
        byte[] stored = known ? rs.getBytes("secret_hash") : NO_SUCH_KEY;
        if (!MessageDigest.isEqual(stored, presentedHash) || !known) {
          return Optional.empty();
        }
        return Optional.of(switch (rs.getString("role")) {
          case "partner" -> Caller.partner(rs.getString("partner_id"), keyId);
          case "appliance" -> Caller.appliance(rs.getString("appliance_id"), rs.getString("site_id"), keyId);
          case "admin" -> Caller.admin(keyId);
          default -> throw new IllegalStateException("unknown role in ledger_auth.api_keys: " + rs.getString(2));
        });
      }
    }
  }

  private Issued issue(String role, String partnerId, String applianceId, String siteId, String label, Instant now)
      throws SQLException {
    try (Connection c = dataSource.getConnection()) {
      return insert(c, role, partnerId, applianceId, siteId, label, now);
    }
  }

  private static Issued insert(Connection c, String role, String partnerId, String applianceId, String siteId,
      String label, Instant now) throws SQLException {
    byte[] id = new byte[8];
    byte[] secret = new byte[32];
    RANDOM.nextBytes(id);
    RANDOM.nextBytes(secret);
    String keyId = HEX.formatHex(id);
    String secretText = Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
    try (PreparedStatement s = c.prepareStatement("""
        INSERT INTO ledger_auth.api_keys (key_id, secret_hash, role, partner_id, appliance_id, site_id, label,
            created_at)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?)""")) {
      s.setString(1, keyId);
      s.setBytes(2, sha256(secretText));
      s.setString(3, role);
      s.setString(4, partnerId);
      s.setString(5, applianceId);
      s.setString(6, siteId);
      s.setString(7, label);
      s.setTimestamp(8, Timestamp.from(now));
      s.executeUpdate();
    }
    return new Issued(keyId, "lk_" + keyId + "_" + secretText);
  }

  private static int count(Connection c, String sql, String arg) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(sql)) {
      s.setString(1, arg);
      try (ResultSet rs = s.executeQuery()) {
        rs.next();
        return rs.getInt(1);
      }
    }
  }

  private static String requireId(String id, String what) {
    if (id == null || id.isBlank()) {
      throw new IllegalArgumentException("a " + what + " is required");
    }
    return id;
  }

  static byte[] sha256(String secret) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.US_ASCII));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }
}
