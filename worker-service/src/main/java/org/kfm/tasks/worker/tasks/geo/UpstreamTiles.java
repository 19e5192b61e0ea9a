package org.kfm.tasks.worker.tasks.geo;

import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jboss.logging.Logger;
import org.kfm.tasks.contracts.TaskFailure;
import org.kfm.tasks.contracts.geo.Tile;

/**
 * Fetches tiles from an XYZ tile server. Each try has a whole-exchange timeout and a body limit,
 * and the answer must be a PNG. A 429, a 5xx or a network error is tried again within the attempt
 * (with a doubling wait, or the server's Retry-After when it is short), then fails the job as
 * retryable: the tiles stored so far stay cached, so the platform's retry continues where this one
 * stopped. Any other refusal, or a body that is not a PNG, fails the job for good: trying again
 * cannot help.
 */
final class UpstreamTiles implements TileSource {
  private static final Logger LOG = Logger.getLogger(UpstreamTiles.class);

  private final String layer;
  private final String urlTemplate;
  private final HttpClient client;
  private final FetchSettings settings;
  private final MeterRegistry registry;
  private final Instant deadline;

  UpstreamTiles(
      String layer,
      String urlTemplate,
      HttpClient client,
      FetchSettings settings,
      MeterRegistry registry,
      Instant deadline) {
    this.layer = layer;
    this.urlTemplate = urlTemplate;
    this.client = client;
    this.settings = settings;
    this.registry = registry;
    this.deadline = deadline;
  }

  /** A client for a layer's upstream: connect timeout set, redirects followed within https. */
  static HttpClient client(FetchSettings settings) {
    return HttpClient.newBuilder()
        .connectTimeout(settings.connectTimeout())
        .followRedirects(HttpClient.Redirect.NORMAL)
        .build();
  }

  /** Checks a template at startup: http(s), with each of {z}, {x} and {y}. */
  static String checkedTemplate(String layer, String template) {
    String problem = null;
    if (!template.startsWith("https://") && !template.startsWith("http://")) {
      problem = "must start with https:// or http://";
    } else if (!template.contains("{z}")
        || !template.contains("{x}")
        || !template.contains("{y}")) {
      problem = "must contain {z}, {x} and {y}";
    } else {
      try {
        URI.create(urlOf(template, new Tile(0, 0, 0)));
      } catch (IllegalArgumentException e) {
        problem = "is not a URL: " + e.getMessage();
      }
    }
    if (problem != null) {
      throw new IllegalStateException(
          "kfm.tiles.layers." + layer + ".url-template " + problem + ": " + template);
    }
    return template;
  }

  static String urlOf(String template, Tile tile) {
    return template
        .replace("{z}", Integer.toString(tile.z()))
        .replace("{x}", Integer.toString(tile.x()))
        .replace("{y}", Integer.toString(tile.y()));
  }

  @Override
  public byte[] tile(Tile tile) throws InterruptedException {
    URI uri = URI.create(urlOf(urlTemplate, tile));
    Duration wait = settings.retryDelay();
    String lastProblem = null;
    for (int attempt = 1; attempt <= settings.attempts(); attempt++) {
      Answer answer = fetch(uri, tile);
      if (answer.png() != null) {
        return answer.png();
      }
      lastProblem = answer.problem();
      if (attempt == settings.attempts()) {
        break;
      }
      Duration pause = answer.retryAfter() != null ? answer.retryAfter() : wait;
      if (Instant.now().plus(pause).plus(settings.timeout()).isAfter(deadline)) {
        break;
      }
      LOG.debugf(
          "layer=%s tile=%s try %d: %s; again in %d ms",
          layer, tile, attempt, lastProblem, pause.toMillis());
      Thread.sleep(pause.toMillis());
      wait = wait.multipliedBy(2);
    }
    throw TaskFailure.transientFailure(
        "UPSTREAM_UNAVAILABLE",
        "the upstream of layer " + layer + " did not deliver tile " + tile + ": " + lastProblem);
  }

  /** A PNG, or a retryable problem (with the server's wish for a pause); throws on the rest. */
  private record Answer(byte[] png, String problem, Duration retryAfter) {}

  private Answer fetch(URI uri, Tile tile) throws InterruptedException {
    HttpRequest request =
        HttpRequest.newBuilder(uri)
            .timeout(settings.timeout())
            .header("User-Agent", settings.userAgent())
            .header("Accept", "image/png")
            .GET()
            .build();
    Future<HttpResponse<byte[]>> exchange =
        client.sendAsync(request, LimitedBody.upTo(settings.maxBytes()));
    HttpResponse<byte[]> response;
    try {
      response = exchange.get(settings.timeout().toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      exchange.cancel(true);
      return timedOut();
    } catch (InterruptedException e) {
      exchange.cancel(true);
      throw e;
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof LimitedBody.TooLarge
          || (cause instanceof IOException && cause.getCause() instanceof LimitedBody.TooLarge)) {
        count("too-large");
        throw TaskFailure.permanent(
            "UPSTREAM_INVALID_TILE",
            "tile " + tile + " of layer " + layer + " is larger than " + settings.maxBytes());
      }
      if (cause instanceof HttpTimeoutException) {
        return timedOut();
      }
      return retryable("network", cause.toString(), null);
    }
    int status = response.statusCode();
    if (status == 200) {
      if (!Png.looksLikePng(response.body())) {
        count("not-png");
        throw TaskFailure.permanent(
            "UPSTREAM_INVALID_TILE",
            "tile "
                + tile
                + " of layer "
                + layer
                + " is not a PNG (Content-Type "
                + response.headers().firstValue("Content-Type").orElse("none")
                + ")");
      }
      count("ok");
      return new Answer(response.body(), null, null);
    }
    if (status == 429 || status >= 500) {
      return retryable("status-" + status, "HTTP " + status, retryAfter(response).orElse(null));
    }
    count("rejected");
    throw TaskFailure.permanent(
        "UPSTREAM_REJECTED",
        "the upstream of layer "
            + layer
            + " answered HTTP "
            + status
            + " for tile "
            + tile
            + ": check kfm.tiles.layers."
            + layer
            + ".url-template");
  }

  private Answer timedOut() {
    return retryable("timeout", "no answer within " + settings.timeout().toMillis() + " ms", null);
  }

  private Answer retryable(String outcome, String problem, Duration retryAfter) {
    count(outcome.startsWith("status-5") ? "server-error" : outcome.replace("status-", ""));
    return new Answer(null, problem, retryAfter);
  }

  /** Retry-After in seconds, when it is no longer than the pause this worker accepts. */
  private Optional<Duration> retryAfter(HttpResponse<?> response) {
    return response
        .headers()
        .firstValue("Retry-After")
        .flatMap(
            value -> {
              try {
                Duration asked = Duration.ofSeconds(Long.parseLong(value.strip()));
                return Optional.of(
                    asked.compareTo(settings.maxRetryAfter()) > 0
                        ? settings.maxRetryAfter()
                        : asked);
              } catch (NumberFormatException e) {
                // An HTTP date: the doubling wait serves as well.
                return Optional.empty();
              }
            });
  }

  private void count(String outcome) {
    registry.counter("kfm.tiles.upstream.requests", "layer", layer, "outcome", outcome).increment();
  }
}
