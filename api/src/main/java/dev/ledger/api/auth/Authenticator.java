package dev.ledger.api.auth;

import dev.ledger.api.ApiException;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The before-handler of every matched route: reads {@code Authorization: Bearer <key>}, authenticates it with
 * {@link ApiKeys} and stores the {@link Caller} for {@link Caller#of}. Paths under {@code /v1/appliance/} take
 * appliance keys only; every other {@code /v1} path takes partner and admin keys; {@link #PUBLIC} paths take none.
 *
 * <p>Accepted keys are remembered for {@code cacheTtl} (zero: never), so that a busy dashboard costs no key lookup
 * per request; a revoked key therefore stops working within that time.
 */
public final class Authenticator implements Handler {
  /** Paths served without a key. */
  public static final Set<String> PUBLIC = Set.of("/health", "/openapi.json");
  /** Prefix of the routes that appliances call with their own keys. */
  public static final String APPLIANCE_PREFIX = "/v1/appliance/";
  private static final int CACHE_LIMIT = 10_000;
  private static final String BEARER = "Bearer ";

  private final ApiKeys keys;
  private final long cacheTtlNanos;
  private final Map<String, Cached> cache = new ConcurrentHashMap<>();

  private record Cached(Caller caller, long expiresAtNanos) {
  }

  public Authenticator(ApiKeys keys, Duration cacheTtl) {
    this.keys = keys;
    this.cacheTtlNanos = cacheTtl.toNanos();
  }

  @Override
  public void handle(Context ctx) throws SQLException {
    String path = ctx.path();
    if (PUBLIC.contains(path)) {
      return;
    }
    Caller caller = authenticate(ctx.header("Authorization"));
    boolean applianceRoute = path.startsWith(APPLIANCE_PREFIX);
    if (applianceRoute && caller.role() != Caller.Role.APPLIANCE) {
      throw new ApiException.Unauthorized("this endpoint takes an appliance key");
    }
    if (!applianceRoute && caller.role() == Caller.Role.APPLIANCE) {
      throw new ApiException.Unauthorized("an appliance key works only under " + APPLIANCE_PREFIX);
    }
    ctx.attribute(Caller.ATTRIBUTE, caller);
  }

  /**
   * Who sends this {@code Authorization} header, as {@link Caller#actor()}, if its key was accepted before and has
   * not failed since; null otherwise (no key, a malformed or unknown one, none remembered, or a cache time of zero).
   * An entry past its cache time still answers: this names a caller for sharing out turns, it admits nobody (the
   * key is checked again before anything is read). Never looks a key up: the read limiter asks this of every read
   * before its turn, and a caller that reads every minute must not count as unknown each time.
   */
  public String knownActor(String authorization) {
    String presented = bearer(authorization);
    Cached cached = presented == null ? null : cache.get(presented);
    return cached == null ? null : cached.caller().actor();
  }

  /** The key of a {@code Bearer <key>} header; null for no header or another scheme. */
  private static String bearer(String authorization) {
    return authorization != null && authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())
        ? authorization.substring(BEARER.length()).strip() : null;
  }

  private Caller authenticate(String authorization) throws SQLException {
    if (authorization == null || authorization.isBlank()) {
      throw new ApiException.Unauthorized("send an API key: Authorization: Bearer lk_...");
    }
    String presented = bearer(authorization);
    if (presented == null) {
      throw new ApiException.Unauthorized("the Authorization header must be 'Bearer <API key>'");
    }
    long now = System.nanoTime();
    Cached cached = cache.get(presented);
    if (cached != null && now - cached.expiresAtNanos() < 0) {
      return cached.caller();
    }
    Optional<Caller> caller = keys.authenticate(presented);
    if (caller.isEmpty()) {
      cache.remove(presented);
      throw new ApiException.Unauthorized("the API key is not valid (malformed, unknown or revoked)");
    }
    if (cacheTtlNanos > 0) {
      if (cache.size() >= CACHE_LIMIT) {
        cache.clear();
      }
      cache.put(presented, new Cached(caller.get(), now + cacheTtlNanos));
    }
    return caller.get();
  }
}
