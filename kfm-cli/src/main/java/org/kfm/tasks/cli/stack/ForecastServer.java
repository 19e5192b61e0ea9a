package org.kfm.tasks.cli.stack;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The gridpoint forecast route of the NWS API ({@code GET /gridpoints/{office}/{x},{y}/forecast})
 * for the local stack, where the public API may be out of reach: it answers from fixtures shipped
 * in {@code forecasts/} on the classpath, written in the API's shape; they are not live weather.
 * Each answer carries a strong ETag of its bytes and honours {@code If-None-Match} with 304, so a
 * repeated pull shows what an unchanged upstream looks like. Cells without a fixture are 404, as
 * the API answers for a cell outside an office's grid.
 */
public final class ForecastServer implements AutoCloseable {
  private static final Pattern ROUTE =
      Pattern.compile("^/gridpoints/([A-Z]{3})/([0-9]{1,3}),([0-9]{1,3})/forecast/?$");

  private final HttpServer server;
  private final ExecutorService threads;
  private final Map<String, Fixture> fixtures;

  /** A cell's answer: its bytes and their ETag. */
  private record Fixture(byte[] body, String etag) {}

  private ForecastServer(
      HttpServer server, ExecutorService threads, Map<String, Fixture> fixtures) {
    this.server = server;
    this.threads = threads;
    this.fixtures = fixtures;
  }

  /** Listens on 127.0.0.1 at {@code port} (0: any free port). */
  public static ForecastServer start(int port) throws IOException {
    // Read once: ./kfm rebuilds its jar when the sources change, under a server still running.
    Map<String, Fixture> fixtures = loadFixtures();
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 16);
    ExecutorService threads = Executors.newFixedThreadPool(2);
    ForecastServer forecasts = new ForecastServer(server, threads, fixtures);
    server.createContext("/", forecasts::handle);
    server.setExecutor(threads);
    server.start();
    return forecasts;
  }

  public int port() {
    return server.getAddress().getPort();
  }

  @Override
  public void close() {
    server.stop(0);
    threads.shutdown();
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String method = exchange.getRequestMethod();
      Matcher route = ROUTE.matcher(exchange.getRequestURI().getPath());
      if (!route.matches()) {
        problem(exchange, 404, "NotFound", "Not Found", "no such route here");
        return;
      }
      if (!method.equals("GET") && !method.equals("HEAD")) {
        exchange.getResponseHeaders().set("Allow", "GET, HEAD");
        problem(exchange, 405, "MethodNotAllowed", "Method Not Allowed", method);
        return;
      }
      String cell = route.group(1) + "-" + route.group(2) + "-" + route.group(3);
      Fixture fixture = fixtures.get(cell);
      if (fixture == null) {
        problem(
            exchange,
            404,
            "InvalidGridpoint",
            "Data Unavailable For Requested Point",
            "no forecast fixture for "
                + route.group(1)
                + " "
                + route.group(2)
                + ","
                + route.group(3));
        return;
      }
      byte[] body = fixture.body();
      String etag = fixture.etag();
      var headers = exchange.getResponseHeaders();
      headers.set("ETag", etag);
      headers.set("Cache-Control", "public, max-age=600");
      if (matches(exchange.getRequestHeaders().getFirst("If-None-Match"), etag)) {
        exchange.sendResponseHeaders(304, -1);
        return;
      }
      headers.set("Content-Type", "application/geo+json");
      if (method.equals("HEAD")) {
        headers.set("Content-Length", String.valueOf(body.length));
        exchange.sendResponseHeaders(200, -1);
        return;
      }
      exchange.sendResponseHeaders(200, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    }
  }

  /** The cells listed in {@code forecasts/index.txt}, each {@code forecasts/{cell}.json}. */
  private static Map<String, Fixture> loadFixtures() throws IOException {
    Map<String, Fixture> fixtures = new HashMap<>();
    for (String cell : resource("index.txt").lines().map(String::strip).toList()) {
      if (!cell.isEmpty() && !cell.startsWith("#")) {
        byte[] body = resource(cell + ".json").getBytes(StandardCharsets.UTF_8);
        fixtures.put(cell, new Fixture(body, etagOf(body)));
      }
    }
    return Map.copyOf(fixtures);
  }

  private static String resource(String name) throws IOException {
    try (InputStream in = ForecastServer.class.getResourceAsStream("/forecasts/" + name)) {
      if (in == null) {
        throw new IllegalStateException("forecasts/" + name + " is missing from the classpath");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  static String etagOf(byte[] body) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(body);
      return "\"" + HexFormat.of().formatHex(digest, 0, 8) + "\"";
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** If-None-Match holds one or more tags, weak ones compared by their value, or {@code *}. */
  static boolean matches(String ifNoneMatch, String etag) {
    if (ifNoneMatch == null) {
      return false;
    }
    for (String tag : ifNoneMatch.split(",")) {
      String t = tag.strip();
      if (t.equals("*") || (t.startsWith("W/") ? t.substring(2) : t).equals(etag)) {
        return true;
      }
    }
    return false;
  }

  private static void problem(
      HttpExchange exchange, int status, String type, String title, String detail)
      throws IOException {
    String json =
        "{\"type\":\"https://api.weather.gov/problems/"
            + type
            + "\",\"title\":\""
            + title
            + "\",\"status\":"
            + status
            + ",\"detail\":\""
            + detail.replace("\\", "\\\\").replace("\"", "\\\"")
            + "\"}";
    byte[] body = json.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/problem+json");
    if (exchange.getRequestMethod().equals("HEAD")) {
      exchange.sendResponseHeaders(status, -1);
      return;
    }
    exchange.sendResponseHeaders(status, body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  /** Runs as a part of the local stack until terminated: {@code ForecastServer <port>}. */
  public static void main(String[] args) throws Exception {
    ForecastServer server = start(Integer.parseInt(args[0]));
    System.out.println(
        "forecast fixtures (NWS API shape, not live weather) on http://127.0.0.1:"
            + server.port()
            + "/gridpoints/{office}/{x},{y}/forecast");
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  server.close();
                  stopped.countDown();
                }));
    stopped.await();
  }
}
