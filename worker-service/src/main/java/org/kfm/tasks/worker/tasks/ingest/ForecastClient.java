package org.kfm.tasks.worker.tasks.ingest;

import jakarta.inject.Singleton;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodySubscriber;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.kfm.tasks.contracts.TaskFailure;

/**
 * GETs a grid cell's forecast from the configured API, trusting nothing it sends back: the whole
 * exchange is bounded in time, the body in size, and the status decides whether a retry can help.
 */
@Singleton
class ForecastClient {
  private static final int ERROR_BODY_QUOTE = 300;
  private final NoaaConfig config;
  private final ForecastMetrics metrics;
  private final HttpClient http;
  private final HttpClient httpWithToken;

  ForecastClient(NoaaConfig config, ForecastMetrics metrics) {
    this.config = config;
    this.metrics = metrics;
    this.http = client(config, HttpClient.Redirect.NORMAL);
    // The JDK's client sends a request's own headers again to wherever a redirect points, which
    // may be another host: a request carrying the user's token follows none (a redirect fails it).
    this.httpWithToken = client(config, HttpClient.Redirect.NEVER);
  }

  private static HttpClient client(NoaaConfig config, HttpClient.Redirect redirects) {
    return HttpClient.newBuilder()
        .connectTimeout(config.connectTimeout())
        .followRedirects(redirects)
        // The API answers small documents; HTTP/1.1 keeps the exchange plain for any server.
        .version(HttpClient.Version.HTTP_1_1)
        .build();
  }

  /** A 200 with its body, or a 304 (body empty). */
  record Reply(URI url, int status, byte[] body, String etag) {
    boolean notModified() {
      return status == 304;
    }
  }

  URI urlOf(GridCell cell) {
    String base = config.baseUrl().toString();
    return URI.create((base.endsWith("/") ? base : base + "/") + cell.forecastPath());
  }

  /**
   * @param ifNoneMatch the stored ETag, or null for an unconditional request
   * @param timeout from sending to the body's last byte
   * @throws TaskFailure for every answer but 200 and an expected 304, and for transport failures
   */
  Reply fetch(GridCell cell, String ifNoneMatch, Duration timeout) throws InterruptedException {
    return fetch(cell, ifNoneMatch, null, timeout);
  }

  /**
   * @param authToken sent as a bearer token, for a mirror that wants one; null for none
   */
  Reply fetch(GridCell cell, String ifNoneMatch, String authToken, Duration timeout)
      throws InterruptedException {
    URI url = urlOf(cell);
    HttpRequest.Builder request =
        HttpRequest.newBuilder(url)
            .GET()
            .timeout(timeout)
            .header("User-Agent", config.userAgent())
            .header("Accept", "application/geo+json");
    if (ifNoneMatch != null) {
      request.header("If-None-Match", ifNoneMatch);
    }
    if (authToken != null) {
      request.header("Authorization", "Bearer " + authToken);
    }
    long max = config.maxResponseBytes();
    CompletableFuture<HttpResponse<byte[]>> exchange =
        (authToken == null ? http : httpWithToken)
            .sendAsync(
                request.build(),
                info ->
                    info.statusCode() == 200
                        ? new CappedBody(max, info.headers().firstValueAsLong("Content-Length"))
                        // Anything else is judged by its status; the start of its body is only
                        // quoted in the failure, so that an operator sees why the upstream refused.
                        : new BodyHead(ERROR_BODY_QUOTE));
    HttpResponse<byte[]> response;
    try {
      response = exchange.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      exchange.cancel(true);
      metrics.response("timeout");
      throw timedOut(url, timeout);
    } catch (InterruptedException e) {
      exchange.cancel(true);
      throw e;
    } catch (ExecutionException e) {
      throw transportFailure(url, timeout, e.getCause());
    }
    int status = response.statusCode();
    metrics.response(Integer.toString(status));
    Optional<TaskFailure> refused =
        failureFor(
            status,
            ifNoneMatch != null,
            response.headers().firstValue("Retry-After").orElse(null),
            url,
            Instant.now(),
            config.maxRetryAfter());
    if (refused.isPresent()) {
      throw refused.get().withDetail(quote(response.body()));
    }
    metrics.bytes(response.body().length);
    return new Reply(
        url, status, response.body(), response.headers().firstValue("ETag").orElse(null));
  }

  /**
   * What an answer's status means for this pull: nothing (200, or 304 to a conditional request), a
   * retry (429, 5xx; not before their Retry-After), or a permanent refusal (any other status).
   */
  static Optional<TaskFailure> failureFor(
      int status,
      boolean conditional,
      String retryAfterHeader,
      URI url,
      Instant now,
      Duration maxRetryAfter) {
    if (status == 200 || (status == 304 && conditional)) {
      return Optional.empty();
    }
    if (status == 429 || (status >= 500 && status <= 599)) {
      String code = status == 429 ? "UPSTREAM_THROTTLED" : "UPSTREAM_UNAVAILABLE";
      String message = "HTTP " + status + " from " + url;
      return Optional.of(
          RetryAfter.parse(retryAfterHeader, now, maxRetryAfter)
              .map(
                  wait ->
                      TaskFailure.retryableAfter(
                          code, message + "; retry after " + wait.toSeconds() + "s", wait))
              .orElseGet(() -> TaskFailure.transientFailure(code, message)));
    }
    return Optional.of(
        TaskFailure.permanent(
            "UPSTREAM_REJECTED",
            "HTTP "
                + status
                + " from "
                + url
                + (status == 304 ? " to an unconditional request" : "")));
  }

  /** The start of an error body as one line of text, or null when there is none. */
  static String quote(byte[] body) {
    if (body == null || body.length == 0) {
      return null;
    }
    String text =
        new String(body, StandardCharsets.UTF_8)
            .replaceAll("\\p{Cntrl}", " ")
            .replaceAll("\\s+", " ")
            .strip();
    return text.isEmpty() ? null : "upstream said \"" + text + "\"";
  }

  private TaskFailure transportFailure(URI url, Duration timeout, Throwable cause) {
    for (Throwable t = cause; t != null; t = t.getCause()) {
      if (t instanceof TooLarge tooLarge) {
        metrics.response("too_large");
        return TaskFailure.permanent(
            "FORECAST_TOO_LARGE",
            url + " sent more than " + tooLarge.max + " bytes; the rest was not read");
      }
      if (t instanceof HttpConnectTimeoutException || t instanceof ConnectException) {
        metrics.response("unreachable");
        return TaskFailure.transientFailure(
            "UPSTREAM_UNREACHABLE", "cannot connect to " + url + ": " + t.getMessage());
      }
      if (t instanceof HttpTimeoutException) {
        metrics.response("timeout");
        return timedOut(url, timeout);
      }
    }
    metrics.response("io_error");
    return TaskFailure.transientFailure(
        "UPSTREAM_IO", "reading " + url + " failed: " + String.valueOf(cause));
  }

  private static TaskFailure timedOut(URI url, Duration timeout) {
    return TaskFailure.transientFailure(
        "UPSTREAM_TIMEOUT", url + " did not answer in full within " + timeout.toMillis() + " ms");
  }

  /** The body's bytes up to a limit; one byte more cancels the exchange. */
  static final class CappedBody implements BodySubscriber<byte[]> {
    private final long max;
    private final long declared;
    private final CompletableFuture<byte[]> body = new CompletableFuture<>();
    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    private Flow.Subscription subscription;

    CappedBody(long max, java.util.OptionalLong contentLength) {
      this.max = max;
      this.declared = contentLength.orElse(-1);
    }

    @Override
    public CompletionStage<byte[]> getBody() {
      return body;
    }

    @Override
    public void onSubscribe(Flow.Subscription subscription) {
      this.subscription = subscription;
      if (declared > max) {
        refuse();
        return;
      }
      subscription.request(Long.MAX_VALUE);
    }

    @Override
    public void onNext(List<ByteBuffer> items) {
      if (body.isDone()) {
        return;
      }
      for (ByteBuffer item : items) {
        if (buffer.size() + (long) item.remaining() > max) {
          refuse();
          return;
        }
        byte[] chunk = new byte[item.remaining()];
        item.get(chunk);
        buffer.write(chunk, 0, chunk.length);
      }
    }

    private void refuse() {
      body.completeExceptionally(new TooLarge(max));
      subscription.cancel();
    }

    @Override
    public void onError(Throwable error) {
      body.completeExceptionally(error);
    }

    @Override
    public void onComplete() {
      body.complete(buffer.toByteArray());
    }
  }

  /** At most the first {@code max} bytes of a body; the rest is not read. */
  static final class BodyHead implements BodySubscriber<byte[]> {
    private final int max;
    private final CompletableFuture<byte[]> body = new CompletableFuture<>();
    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    private Flow.Subscription subscription;

    BodyHead(int max) {
      this.max = max;
    }

    @Override
    public CompletionStage<byte[]> getBody() {
      return body;
    }

    @Override
    public void onSubscribe(Flow.Subscription subscription) {
      this.subscription = subscription;
      subscription.request(Long.MAX_VALUE);
    }

    @Override
    public void onNext(List<ByteBuffer> items) {
      if (body.isDone()) {
        return;
      }
      for (ByteBuffer item : items) {
        int room = max - buffer.size();
        byte[] chunk = new byte[Math.min(room, item.remaining())];
        item.get(chunk);
        buffer.write(chunk, 0, chunk.length);
        if (buffer.size() >= max) {
          body.complete(buffer.toByteArray());
          subscription.cancel();
          return;
        }
      }
    }

    @Override
    public void onError(Throwable error) {
      // What arrived before the error is still worth quoting.
      body.complete(buffer.toByteArray());
    }

    @Override
    public void onComplete() {
      body.complete(buffer.toByteArray());
    }
  }

  static final class TooLarge extends IOException {
    final long max;

    TooLarge(long max) {
      super("response body larger than " + max + " bytes");
      this.max = max;
    }
  }
}
