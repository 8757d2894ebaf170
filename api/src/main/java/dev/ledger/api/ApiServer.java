package dev.ledger.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ledger.api.auth.ApiKeys;
import dev.ledger.api.auth.Authenticator;
import dev.ledger.api.db.ReadStore;
import dev.ledger.api.health.ComponentHealth;
import dev.ledger.api.health.HealthRegistry;
import dev.ledger.api.http.ReadLimiter;
import dev.ledger.api.reads.CatalogueReads;
import dev.ledger.api.reads.EvidenceReads;
import dev.ledger.api.reads.FleetReads;
import dev.ledger.api.reads.IncidentReads;
import dev.ledger.api.reads.OrderReads;
import dev.ledger.api.reads.PatternReads;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.javalin.http.HttpResponseException;
import io.javalin.json.JavalinJackson;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.eclipse.jetty.http.HttpHeader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP API of the ledger: {@code GET /health}, {@code GET /openapi.json}, and with a database the tenant-scoped
 * reads under {@code /v1} (fleet, incidents, patterns, flap suppressions, evidence, compliance, orders, CVEs and
 * frameworks).
 *
 * <p><b>For the commands engineer (and any other route group):</b> implement {@link RouteModule} and pass it in
 * {@link ApiConfig#withModules}; {@code ApiServer.start(host, port, health, json, ApiConfig.of(ds).withModules(
 * List.of(yourModule)))}. Your routes are registered after the reads with {@code routes.post(...)} etc. Every
 * matched {@code /v1} route is authenticated before your handler runs: {@code Caller.of(ctx)} is the partner or
 * admin, and under {@code /v1/appliance/} the appliance (other keys get 401 there). Check that the caller may
 * touch a site, appliance or order with {@code api.reads().read(caller, h -> Tenancy.requireSite(h, caller, id))}
 * (a 404 for another tenant's), throw {@link ApiException} subclasses for 400/401/404/409/422 (one mapping, here,
 * to problem+json), and document every route you add in {@code api/src/main/resources/dev/ledger/api/openapi.json}:
 * {@code OpenApiIT} holds the document against the registered routes. Reads of orders ({@code GET
 * /v1/sites/{siteId}/orders[/{orderId}]}, {@code GET /v1/appliance/orders}) are already here.
 */
public final class ApiServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ApiServer.class);
  private static final String OPENAPI = "/dev/ledger/api/openapi.json";
  private static final String ANSWERED = "ledger.problem";
  private static final Set<HandlerType> VERBS =
      Set.of(HandlerType.GET, HandlerType.POST, HandlerType.PUT, HandlerType.PATCH, HandlerType.DELETE);

  private final Javalin app;
  private final Set<String> routes;
  private final ReadLimiter limiter;

  private ApiServer(Javalin app, Set<String> routes, ReadLimiter limiter) {
    this.app = app;
    this.routes = routes;
    this.limiter = limiter;
  }

  /** Starts listening on {@code host:port} (port 0 picks a free one) with {@code /health} and the document only. */
  public static ApiServer start(String host, int port, HealthRegistry health, ObjectMapper json) {
    return start(host, port, health, json, null);
  }

  /** Starts listening on {@code host:port} (port 0 picks a free one); with a config, the reads and modules too. */
  public static ApiServer start(String host, int port, HealthRegistry health, ObjectMapper json, ApiConfig config) {
    byte[] openapi = openApiDocument();
    Set<String> routes = new TreeSet<>();
    // Reads take turns (ReadLimiter), round the callers it knows from keys accepted before; a read waits at most as
    // long as its query may run.
    Authenticator authenticator = config == null ? null
        : new Authenticator(new ApiKeys(config.dataSource()), config.authCacheTtl());
    ReadLimiter limiter = config == null ? null : new ReadLimiter(config.maxConcurrentReads(),
        ReadLimiter.MAX_WAITING, config.statementTimeout(),
        config.fairReads() ? request -> authenticator.knownActor(request.getHeaders().get(HttpHeader.AUTHORIZATION))
            : request -> null, json);
    Javalin app = Javalin.create(javalin -> {
      javalin.startup.showJavalinBanner = false;
      javalin.startup.showOldJavalinVersionWarning = false;
      javalin.jsonMapper(new JavalinJackson(json, false));
      javalin.events.handlerAdded(info -> {
        if (VERBS.contains(info.getHttpMethod())) {
          routes.add(info.getHttpMethod() + " " + info.getPath());
        }
      });
      javalin.routes.get("/health", ctx -> {
        Map<String, ComponentHealth> components = health.checkAll();
        boolean up = components.values().stream().allMatch(ComponentHealth::isUp);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", up ? "UP" : "DOWN");
        body.put("components", components);
        ctx.status(up ? 200 : 503).json(body);
      });
      javalin.routes.get("/openapi.json", ctx -> ctx.contentType("application/json").result(openapi));
      if (config != null) {
        javalin.http.maxRequestSize = config.maxRequestBytes();
        javalin.jetty.modifyServletContextHandler(context -> context.insertHandler(limiter));
        ReadStore store = new ReadStore(config.dataSource(), config.statementTimeout());
        javalin.routes.beforeMatched(ctx -> {
          if (ctx.contentLength() > config.maxRequestBytes()) {
            throw new ApiException.TooLarge("the body has " + ctx.contentLength() + " bytes; the API takes at most "
                + config.maxRequestBytes());
          }
        });
        javalin.routes.beforeMatched(authenticator);
        new FleetReads(store, config.clock()).register(javalin.routes);
        new IncidentReads(store).register(javalin.routes);
        new PatternReads(store).register(javalin.routes);
        new EvidenceReads(store, config.clock()).register(javalin.routes);
        new OrderReads(store, config.clock()).register(javalin.routes);
        new CatalogueReads(store).register(javalin.routes);
        ApiContext context = new ApiContext(store, json, config.clock());
        config.modules().forEach(module -> module.register(javalin.routes, context));
      }
      javalin.routes.error(404, "*", ctx -> {
        if (ctx.attribute(ANSWERED) == null) {
          problem(ctx, Problem.of(404, "Not Found", "no route for " + ctx.method() + " " + ctx.path()));
        }
      });
      javalin.routes.exception(ApiException.class, (e, ctx) -> problem(ctx, e.problem()));
      javalin.routes.exception(HttpResponseException.class, (e, ctx) -> problem(ctx,
          Problem.of(e.getStatus(), statusTitle(e.getStatus()), e.getMessage())));
      javalin.routes.exception(JsonProcessingException.class, (e, ctx) -> problem(ctx,
          Problem.of(400, "Bad Request", "the body is not the JSON this endpoint takes: " + e.getOriginalMessage())));
      javalin.routes.exception(Exception.class, (e, ctx) -> {
        if (isTimeout(e)) {
          LOG.warn("read timed out on {} {}", ctx.method(), ctx.path());
          problem(ctx, Problem.of(503, "Service Unavailable", "the query took too long; narrow it and retry"));
          return;
        }
        LOG.error("unhandled error on {} {}", ctx.method(), ctx.path(), e);
        problem(ctx, Problem.of(500, "Internal Server Error", "see the server log"));
      });
    });
    app.start(host, port);
    LOG.info("API listening on http://{}:{}", host, app.port());
    return new ApiServer(app, Set.copyOf(routes), limiter);
  }

  /** Reads each known caller has in now, running or waiting for a turn (by {@code Caller.actor()}). */
  public Map<String, Integer> readsByCaller() {
    return limiter == null ? Map.of() : limiter.readsByCaller();
  }

  /** Reads waiting for a turn now (0 without the reads). */
  public int readsWaiting() {
    return limiter == null ? 0 : limiter.waiting();
  }

  public int port() {
    return app.port();
  }

  /** Every registered route as {@code "GET /v1/sites/{siteId}"}: what the OpenAPI document must cover. */
  public Set<String> routes() {
    return routes;
  }

  @Override
  public void close() {
    app.stop();
  }

  private static void problem(Context ctx, Problem problem) {
    ctx.attribute(ANSWERED, Boolean.TRUE);
    ctx.status(problem.status()).json(problem).contentType(Problem.CONTENT_TYPE);
  }

  private static String statusTitle(int status) {
    return switch (status) {
      case 400 -> "Bad Request";
      case 401 -> "Unauthorized";
      case 404 -> "Not Found";
      case 405 -> "Method Not Allowed";
      case 413 -> "Content Too Large";
      case 415 -> "Unsupported Media Type";
      default -> "Error";
    };
  }

  /** PostgreSQL's query_canceled (57014): the statement timeout of a read. */
  private static boolean isTimeout(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLException sql && "57014".equals(sql.getSQLState())) {
        return true;
      }
    }
    return false;
  }

  private static byte[] openApiDocument() {
    try (InputStream in = ApiServer.class.getResourceAsStream(OPENAPI)) {
      if (in == null) {
        throw new IllegalStateException(OPENAPI + " is missing from the classpath");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
