package dev.ledger.api.auth;

import dev.ledger.api.ApiException;
import io.javalin.http.Context;
import java.util.Objects;

/**
 * Who is calling, as authenticated by the API key of the request: a partner (scoped to its own sites), an
 * appliance (scoped to itself and its site) or the platform admin (every tenant). Route handlers get it with
 * {@link #of(Context)}; every read runs in that scope ({@code db.ReadStore}).
 */
public record Caller(Role role, String partnerId, String applianceId, String siteId, String keyId) {
  static final String ATTRIBUTE = "ledger.caller";

  /** The three kinds of caller. */
  public enum Role {
    PARTNER, APPLIANCE, ADMIN
  }

  public Caller {
    Objects.requireNonNull(role, "role");
    switch (role) {
      case PARTNER -> require(partnerId != null && applianceId == null && siteId == null, "a partner id only");
      case APPLIANCE -> require(applianceId != null && siteId != null, "an appliance id and its site id");
      case ADMIN -> require(partnerId == null && applianceId == null && siteId == null, "no tenant id");
      default -> throw new IllegalStateException("unknown role " + role);
    }
  }

  public static Caller partner(String partnerId, String keyId) {
    return new Caller(Role.PARTNER, partnerId, null, null, keyId);
  }

  public static Caller appliance(String applianceId, String siteId, String keyId) {
    return new Caller(Role.APPLIANCE, null, applianceId, siteId, keyId);
  }

  public static Caller admin(String keyId) {
    return new Caller(Role.ADMIN, null, null, null, keyId);
  }

  /**
   * The caller that the authentication before-handler stored on this request; a 401 problem when there is none
   * (a route outside {@code /v1}, or a handler run without the API's filters).
   */
  public static Caller of(Context ctx) {
    Caller caller = ctx.attribute(ATTRIBUTE);
    if (caller == null) {
      throw new ApiException.Unauthorized("this request carries no authenticated API key");
    }
    return caller;
  }

  public boolean isAdmin() {
    return role == Role.ADMIN;
  }

  /** Who did it, for events that record an actor: {@code partner:<id>}, {@code appliance:<id>} or {@code admin}. */
  public String actor() {
    return switch (role) {
      case PARTNER -> "partner:" + partnerId;
      case APPLIANCE -> "appliance:" + applianceId;
      case ADMIN -> "admin:" + keyId;
    };
  }

  private static void require(boolean ok, String what) {
    if (!ok) {
      throw new IllegalArgumentException("this role carries " + what);
    }
  }
}
