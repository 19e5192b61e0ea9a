package org.kfm.tasks.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.kfm.tasks.contracts.Wire;

/** A client of the public REST API, as a user's code would call it. */
final class Api {
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private final String base;
  private final String token;

  Api(String base, String token) {
    this.base = base;
    this.token = token;
  }

  record Reply(int status, JsonNode body, java.util.Optional<String> retryAfter) {
    Reply(int status, JsonNode body) {
      this(status, body, java.util.Optional.empty());
    }
  }

  Reply submit(String body, String idempotencyKey) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(base + "/api/v1/jobs"))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body));
    if (idempotencyKey != null) {
      request.header("Idempotency-Key", idempotencyKey);
    }
    return send(request);
  }

  /** {@code POST /api/v1/jobs:batch}; a slow database may keep it a while. */
  Reply submitBatch(String body) {
    return send(
        HttpRequest.newBuilder(URI.create(base + "/api/v1/jobs:batch"))
            .header("Content-Type", "application/json")
            .timeout(Duration.ofSeconds(60))
            .POST(HttpRequest.BodyPublishers.ofString(body)));
  }

  /** {@code POST} of a JSON body to any path. */
  Reply post(String path, String contentType, String body) {
    return send(
        HttpRequest.newBuilder(URI.create(base + path))
            .header("Content-Type", contentType)
            .POST(HttpRequest.BodyPublishers.ofString(body)));
  }

  Reply post(String path) {
    return send(
        HttpRequest.newBuilder(URI.create(base + path)).POST(HttpRequest.BodyPublishers.noBody()));
  }

  Reply get(String path) {
    return send(HttpRequest.newBuilder(URI.create(base + path)).GET());
  }

  private static HttpRequest.Builder withDefaultTimeout(HttpRequest.Builder request) {
    return request.build().timeout().isPresent()
        ? request
        : request.timeout(Duration.ofSeconds(10));
  }

  private Reply send(HttpRequest.Builder request) {
    try {
      HttpResponse<String> response =
          HTTP.send(
              withDefaultTimeout(request.header("Authorization", "Bearer " + token)).build(),
              HttpResponse.BodyHandlers.ofString());
      // Only JSON answers have a body to read here (a tile, say, is checked by its status).
      boolean json = response.headers().firstValue("Content-Type").orElse("").contains("json");
      JsonNode body =
          response.body().isEmpty() || !json
              ? null
              : Wire.fromJson(response.body(), JsonNode.class);
      return new Reply(response.statusCode(), body, response.headers().firstValue("Retry-After"));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
