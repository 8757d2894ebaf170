package dev.ledger.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ledger.api.health.ComponentHealth;
import dev.ledger.api.health.HealthRegistry;
import io.javalin.Javalin;
import io.javalin.json.JavalinJackson;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP API of the ledger. Today it serves {@code GET /health}: every component's state, 200 when all are
 * up and 503 otherwise. Query and command routes join it as the projections that back them land.
 */
public final class ApiServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ApiServer.class);

  private final Javalin app;

  private ApiServer(Javalin app) {
    this.app = app;
  }

  /** Starts listening on {@code host:port} (port 0 picks a free one). */
  public static ApiServer start(String host, int port, HealthRegistry health, ObjectMapper json) {
    Javalin app = Javalin.create(config -> {
      config.startup.showJavalinBanner = false;
      config.startup.showOldJavalinVersionWarning = false;
      config.jsonMapper(new JavalinJackson(json, false));
      config.routes.get("/health", ctx -> {
        Map<String, ComponentHealth> components = health.checkAll();
        boolean up = components.values().stream().allMatch(ComponentHealth::isUp);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", up ? "UP" : "DOWN");
        body.put("components", components);
        ctx.status(up ? 200 : 503).json(body);
      });
      config.routes.error(404, "*", ctx -> ctx.json(Problem.of(404, "Not Found",
          "no route for " + ctx.method() + " " + ctx.path())).contentType(Problem.CONTENT_TYPE));
      config.routes.exception(Exception.class, (e, ctx) -> {
        LOG.error("unhandled error on {} {}", ctx.method(), ctx.path(), e);
        ctx.status(500).json(Problem.of(500, "Internal Server Error", "see the server log"))
            .contentType(Problem.CONTENT_TYPE);
      });
    });
    app.start(host, port);
    LOG.info("API listening on http://{}:{}", host, app.port());
    return new ApiServer(app);
  }

  public int port() {
    return app.port();
  }

  @Override
  public void close() {
    app.stop();
  }
}
