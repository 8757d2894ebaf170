package dev.ledger.bridge.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.ledger.bridge.AgentBridge;
import dev.ledger.bridge.BridgeException;
import dev.ledger.events.LedgerException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The loopback HTTP JSON API for agents written in any language (the JDK's HTTP server keeps the footprint small):
 * {@code POST /v1/incidents}, {@code POST /v1/incidents/{id}/resolution}, {@code POST /v1/evidence},
 * {@code GET /v1/suppressions}, {@code POST /v1/suppressions/clear}, {@code GET /health}. Bad input answers 400 with
 * {@code {"error": code, "message": reason}} and stores nothing. Bodies are snake_case JSON.
 */
public final class HttpApi implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(HttpApi.class);
  /** raw_data may be 256 KiB; the rest of a request is small. */
  static final int MAX_BODY_BYTES = AgentBridge.MAX_RAW_DATA_BYTES + 64 * 1024;
  private static final int THREADS = 8;

  private final HttpServer server;
  private final ExecutorService executor;

  private HttpApi(HttpServer server, ExecutorService executor) {
    this.server = server;
    this.executor = executor;
  }

  /** Serves the bridge on 127.0.0.1:{@code port} (0 picks a free port). */
  public static HttpApi start(AgentBridge bridge, int port) throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 256);
    ExecutorService executor = Executors.newFixedThreadPool(THREADS, r -> {
      Thread t = new Thread(r, "bridge-http");
      t.setDaemon(true);
      return t;
    });
    Routes routes = new Routes(bridge);
    server.createContext("/", exchange -> handle(exchange, routes));
    server.setExecutor(executor);
    server.start();
    return new HttpApi(server, executor);
  }

  public int port() {
    return server.getAddress().getPort();
  }

  private static void handle(HttpExchange exchange, Routes routes) throws IOException {
    ObjectMapper mapper = Routes.MAPPER;
    int status;
    JsonNode body;
    try {
      Routes.Response r = routes.route(exchange.getRequestMethod(), exchange.getRequestURI().getPath(),
          () -> readBody(exchange));
      status = r.status();
      body = r.body();
    } catch (CompletionException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      status = statusOf(cause);
      body = error(mapper, cause);
    } catch (RuntimeException e) {
      status = statusOf(e);
      body = error(mapper, e);
    }
    if (status >= 500 && status != 503) {
      LOG.error("bridge HTTP {} {} failed: {}", exchange.getRequestMethod(), exchange.getRequestURI(), body);
    }
    byte[] bytes = mapper.writeValueAsBytes(body);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  private static byte[] readBody(HttpExchange exchange) {
    try (InputStream in = exchange.getRequestBody()) {
      byte[] bytes = in.readNBytes(MAX_BODY_BYTES + 1);
      if (bytes.length > MAX_BODY_BYTES) {
        throw BridgeException.badInput("request body is over " + MAX_BODY_BYTES / 1024 + " KiB (raw_data may be at"
            + " most " + AgentBridge.MAX_RAW_DATA_BYTES / 1024 + " KiB)");
      }
      return bytes;
    } catch (IOException e) {
      throw BridgeException.badInput("cannot read the request body: " + e.getMessage());
    }
  }

  /** The one place that maps errors to HTTP status. */
  static int statusOf(Throwable e) {
    if (e instanceof BridgeException b) {
      return b.httpStatus();
    }
    if (e instanceof LedgerException || e instanceof IllegalArgumentException) {
      return 400;
    }
    return 500;
  }

  private static JsonNode error(ObjectMapper mapper, Throwable e) {
    ObjectNode node = mapper.createObjectNode();
    node.put("error", e instanceof LedgerException l ? l.code() : statusOf(e) == 400 ? "bad_input" : "internal");
    node.put("message", e.getMessage() == null ? e.toString() : e.getMessage());
    return node;
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
