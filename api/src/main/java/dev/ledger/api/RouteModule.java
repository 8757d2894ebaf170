package dev.ledger.api;

import io.javalin.config.RoutesConfig;

/**
 * A group of routes that another package plugs into the API (the commands of {@code dev.ledger.api.commands}).
 * Its routes get what every route gets: authentication by the API's before-handler ({@code Caller.of(ctx)} in a
 * handler), {@link ApiException}s answered as problem documents, and a place in {@code /openapi.json}, which must
 * document them (the OpenAPI test fails otherwise).
 */
@FunctionalInterface
public interface RouteModule {
  void register(RoutesConfig routes, ApiContext api);
}
