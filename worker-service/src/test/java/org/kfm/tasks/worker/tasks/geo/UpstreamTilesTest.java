package org.kfm.tasks.worker.tasks.geo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kfm.tasks.artifacts.FileSystemArtifactStore;
import org.kfm.tasks.contracts.TaskFailure;
import org.kfm.tasks.contracts.geo.BoundingBox;
import org.kfm.tasks.contracts.geo.Tile;
import org.kfm.tasks.contracts.geo.TileKeys;
import org.kfm.tasks.contracts.geo.TileRange;
import org.kfm.tasks.contracts.geo.TileWarmRequest;

/**
 * The upstream path of a warm against a real HTTP tile server on this machine (the JDK's) and a
 * real filesystem store: retries of 429 and 5xx, refusals that cannot be retried, skipping what is
 * cached, and the bound on tiles in flight.
 */
class UpstreamTilesTest {
  private static final String LAYER = "test_upstream";
  private static final int CONCURRENCY = 3;
  // Central Helsinki at zooms 10..11: 2 + 4 tiles.
  private static final List<TileRange> RANGES =
      new TileWarmRequest(new BoundingBox(24.85, 60.13, 25.05, 60.22), 10, 11, LAYER, false)
          .ranges();
  private static final Tile FIRST = new Tile(10, 582, 296);

  /** What the server answers to one request: a status, headers, a body, a pause before it. */
  private record Reply(
      int status, String contentType, byte[] body, long delayMillis, String retryAfter) {
    static Reply png(byte[] body) {
      return new Reply(200, "image/png", body, 0, null);
    }

    static Reply status(int status) {
      return new Reply(
          status, "text/plain", ("HTTP " + status).getBytes(StandardCharsets.UTF_8), 0, null);
    }
  }

  /** Decides the reply to the n-th request (from 1) for a tile path. */
  private interface Behaviour {
    Reply reply(String path, int n);
  }

  @TempDir Path storeDir;

  private HttpServer server;
  private ExecutorService serverThreads;
  private volatile Behaviour behaviour;
  private final Map<String, AtomicInteger> requests = new ConcurrentHashMap<>();
  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicInteger mostInFlight = new AtomicInteger();
  private FileSystemArtifactStore store;
  private SimpleMeterRegistry registry;
  private byte[] tilePng;

  @BeforeEach
  void startServer() throws IOException {
    tilePng =
        SiteTileRenderer.render(
            FIRST, SitePoints.of(new double[] {24.94}, new double[] {60.17}, 1));
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    serverThreads = Executors.newFixedThreadPool(8);
    server.setExecutor(serverThreads);
    server.createContext("/tiles/", this::answer);
    server.start();
    store = new FileSystemArtifactStore(storeDir);
    registry = new SimpleMeterRegistry();
  }

  @AfterEach
  void stopServer() {
    server.stop(0);
    serverThreads.shutdownNow();
  }

  private void answer(HttpExchange exchange) throws IOException {
    int now = inFlight.incrementAndGet();
    mostInFlight.accumulateAndGet(now, Math::max);
    try (exchange) {
      String path = exchange.getRequestURI().getPath();
      int n = requests.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
      Reply reply = behaviour.reply(path, n);
      if (reply.delayMillis() > 0) {
        Thread.sleep(reply.delayMillis());
      }
      exchange.getResponseHeaders().set("Content-Type", reply.contentType());
      if (reply.retryAfter() != null) {
        exchange.getResponseHeaders().set("Retry-After", reply.retryAfter());
      }
      exchange.sendResponseHeaders(reply.status(), reply.body().length);
      exchange.getResponseBody().write(reply.body());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      inFlight.decrementAndGet();
    }
  }

  private UpstreamTiles upstream(Duration timeout, int maxBytes) {
    FetchSettings settings =
        new FetchSettings(
            Duration.ofSeconds(2),
            timeout,
            maxBytes,
            3,
            Duration.ofMillis(50),
            Duration.ofSeconds(2),
            "kfm-tasks-test");
    return new UpstreamTiles(
        LAYER,
        "http://127.0.0.1:" + server.getAddress().getPort() + "/tiles/{z}/{x}/{y}.png",
        UpstreamTiles.client(settings),
        settings,
        registry,
        Instant.now().plus(Duration.ofMinutes(5)));
  }

  private UpstreamTiles upstream() {
    return upstream(Duration.ofSeconds(5), 64 * 1024);
  }

  private TileWarm.Outcome warm(UpstreamTiles source, boolean overwrite) throws Exception {
    return new TileWarm(store, registry, CONCURRENCY)
        .run(LAYER, source, RANGES, overwrite, (done, total) -> {}, () -> false);
  }

  private int requestsFor(Tile tile) {
    AtomicInteger count = requests.get("/tiles/" + tile + ".png");
    return count == null ? 0 : count.get();
  }

  private int allRequests() {
    return requests.values().stream().mapToInt(AtomicInteger::get).sum();
  }

  private byte[] stored(Tile tile) throws IOException {
    try (InputStream in = store.open(TileKeys.of(LAYER, tile), 0, Long.MAX_VALUE)) {
      return in.readAllBytes();
    }
  }

  @Test
  void aFirst500IsTriedAgainAndEveryTileIsStored() throws Exception {
    behaviour =
        (path, n) ->
            path.equals("/tiles/" + FIRST + ".png") && n == 1
                ? Reply.status(500)
                : Reply.png(tilePng);

    TileWarm.Outcome outcome = warm(upstream(), false);

    assertThat(outcome).isEqualTo(new TileWarm.Outcome(6, 6, 0, 6L * tilePng.length));
    assertThat(requestsFor(FIRST)).isEqualTo(2);
    assertThat(allRequests()).isEqualTo(7);
    for (TileRange range : RANGES) {
      for (Tile tile : range) {
        assertThat(stored(tile)).isEqualTo(tilePng);
      }
    }
    assertThat(
            registry
                .counter("kfm.tiles.upstream.requests", "layer", LAYER, "outcome", "server-error")
                .count())
        .isEqualTo(1);
  }

  @Test
  void aRerunFetchesNothingAndSaysEverythingWasCached() throws Exception {
    behaviour = (path, n) -> Reply.png(tilePng);
    warm(upstream(), false);
    int before = allRequests();

    TileWarm.Outcome again = warm(upstream(), false);

    assertThat(again).isEqualTo(new TileWarm.Outcome(6, 0, 6, 0));
    assertThat(allRequests()).isEqualTo(before);
    assertThat(registry.counter("kfm.tiles.warmed", "layer", LAYER, "outcome", "skipped").count())
        .isEqualTo(6);
  }

  @Test
  void overwriteFetchesEveryTileAgain() throws Exception {
    behaviour = (path, n) -> Reply.png(tilePng);
    warm(upstream(), false);

    TileWarm.Outcome again = warm(upstream(), true);

    assertThat(again.produced()).isEqualTo(6);
    assertThat(allRequests()).isEqualTo(12);
  }

  @Test
  void anUpstreamThatKeepsFailingFailsRetryablyAndTheRetryFinishesTheRest() throws Exception {
    behaviour =
        (path, n) ->
            path.equals("/tiles/" + FIRST + ".png") ? Reply.status(503) : Reply.png(tilePng);

    TaskFailure failure = catchThrowableOfType(() -> warm(upstream(), false), TaskFailure.class);

    assertThat(failure.code()).isEqualTo("UPSTREAM_UNAVAILABLE");
    assertThat(failure.retryable()).isTrue();
    assertThat(failure.getMessage()).contains(FIRST.toString()).contains("HTTP 503");
    assertThat(requestsFor(FIRST)).isEqualTo(3);
    assertThat(store.size(TileKeys.of(LAYER, FIRST))).isEmpty();

    behaviour = (path, n) -> Reply.png(tilePng);
    int before = allRequests();
    TileWarm.Outcome retry = warm(upstream(), false);
    assertThat(retry.produced() + retry.skipped()).isEqualTo(6);
    assertThat(retry.produced()).isEqualTo(allRequests() - before).isGreaterThanOrEqualTo(1);
    assertThat(stored(FIRST)).isEqualTo(tilePng);
  }

  @Test
  void a429IsTriedAgainAfterItsRetryAfter() throws Exception {
    behaviour =
        (path, n) ->
            path.equals("/tiles/" + FIRST + ".png") && n == 1
                ? new Reply(429, "text/plain", new byte[0], 0, "1")
                : Reply.png(tilePng);
    long start = System.nanoTime();

    TileWarm.Outcome outcome = warm(upstream(), false);

    assertThat(outcome.produced()).isEqualTo(6);
    assertThat(Duration.ofNanos(System.nanoTime() - start))
        .isGreaterThanOrEqualTo(Duration.ofSeconds(1));
    assertThat(requestsFor(FIRST)).isEqualTo(2);
  }

  @Test
  void aBodyThatIsNotAPngFailsForGoodAndIsNotStored() {
    behaviour =
        (path, n) ->
            new Reply(
                200,
                "text/html",
                "<html>maintenance</html>".getBytes(StandardCharsets.UTF_8),
                0,
                null);

    TaskFailure failure = catchThrowableOfType(() -> warm(upstream(), false), TaskFailure.class);

    assertThat(failure.code()).isEqualTo("UPSTREAM_INVALID_TILE");
    assertThat(failure.retryable()).isFalse();
    assertThat(failure.getMessage()).contains("not a PNG").contains("text/html");
    assertThat(store.root().resolve("tiles").toFile().exists()).isFalse();
  }

  @Test
  void aBodyOverTheLimitFailsForGood() {
    byte[] large = new byte[200_000];
    System.arraycopy(tilePng, 0, large, 0, tilePng.length);
    behaviour = (path, n) -> Reply.png(large);

    TaskFailure failure =
        catchThrowableOfType(
            () -> warm(upstream(Duration.ofSeconds(5), 64 * 1024), false), TaskFailure.class);

    assertThat(failure.code()).isEqualTo("UPSTREAM_INVALID_TILE");
    assertThat(failure.getMessage()).contains("larger than 65536");
  }

  @Test
  void a404FailsForGoodWithoutRetrying() {
    behaviour = (path, n) -> Reply.status(404);

    TaskFailure failure = catchThrowableOfType(() -> warm(upstream(), false), TaskFailure.class);

    assertThat(failure.code()).isEqualTo("UPSTREAM_REJECTED");
    assertThat(failure.retryable()).isFalse();
    assertThat(failure.getMessage()).contains("HTTP 404");
    assertThat(requests.values()).allSatisfy(count -> assertThat(count.get()).isEqualTo(1));
  }

  @Test
  void aServerSlowerThanTheTimeoutIsTriedAgainThenFailsRetryably() {
    behaviour = (path, n) -> new Reply(200, "image/png", tilePng, 1_500, null);

    TaskFailure failure =
        catchThrowableOfType(
            () -> warm(upstream(Duration.ofMillis(300), 64 * 1024), false), TaskFailure.class);

    assertThat(failure.code()).isEqualTo("UPSTREAM_UNAVAILABLE");
    assertThat(failure.getMessage()).contains("no answer within 300 ms");
  }

  @Test
  void noMoreTilesThanTheConcurrencyAreFetchedAtOnce() throws Exception {
    behaviour = (path, n) -> new Reply(200, "image/png", tilePng, 150, null);

    TileWarm.Outcome outcome = warm(upstream(), false);

    assertThat(outcome.produced()).isEqualTo(6);
    assertThat(mostInFlight.get()).isBetween(2, CONCURRENCY);
  }

  @Test
  void progressCountsTilesDoneOutOfAllAndEndsAtAll() throws Exception {
    behaviour = (path, n) -> Reply.png(tilePng);
    List<long[]> reports = new java.util.concurrent.CopyOnWriteArrayList<>();

    new TileWarm(store, registry, CONCURRENCY)
        .run(
            LAYER,
            upstream(),
            RANGES,
            false,
            (done, total) -> reports.add(new long[] {done, total}),
            () -> false);

    assertThat(reports).isNotEmpty().allSatisfy(r -> assertThat(r[1]).isEqualTo(6));
    for (int i = 1; i < reports.size(); i++) {
      assertThat(reports.get(i)[0]).isGreaterThanOrEqualTo(reports.get(i - 1)[0]);
    }
    assertThat(reports.get(reports.size() - 1)[0]).isEqualTo(6);
  }

  @Test
  void aCancelledWarmStopsTakingTiles() {
    behaviour = (path, n) -> new Reply(200, "image/png", tilePng, 100, null);
    AtomicInteger asked = new AtomicInteger();

    Throwable stopped =
        catchThrowableOfType(
            () ->
                new TileWarm(store, registry, 1)
                    .run(
                        LAYER,
                        upstream(),
                        RANGES,
                        false,
                        (done, total) -> {},
                        () -> asked.incrementAndGet() > 2),
            IllegalStateException.class);

    assertThat(stopped).hasMessageContaining("stopped");
    assertThat(allRequests()).isLessThan(6);
  }

  @Test
  void templatesWithoutTheirPlaceholdersAreRefusedAtStartup() {
    assertThat(UpstreamTiles.checkedTemplate("ok", "https://t.example/{z}/{x}/{y}.png"))
        .isEqualTo("https://t.example/{z}/{x}/{y}.png");
    assertThat(
            catchThrowableOfType(
                () -> UpstreamTiles.checkedTemplate("osm", "https://t.example/{z}/{x}.png"),
                IllegalStateException.class))
        .hasMessageContaining("kfm.tiles.layers.osm.url-template must contain {z}, {x} and {y}");
    assertThat(
            catchThrowableOfType(
                () -> UpstreamTiles.checkedTemplate("osm", "ftp://t.example/{z}/{x}/{y}.png"),
                IllegalStateException.class))
        .hasMessageContaining("https://");
  }
}
