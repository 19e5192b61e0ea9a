package org.kfm.tasks.cli.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.StringJoiner;
import org.kfm.tasks.contracts.Wire;

/** The REST API as the CLI uses it; a problem+json answer becomes an {@link ApiError}. */
public final class ApiClient {
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
  private final String base;
  private final String token;

  public ApiClient(String base, String token) {
    this.base = base;
    this.token = token;
  }

  /** An error answer of the API, with its problem details. */
  public static final class ApiError extends RuntimeException {
    private final int status;
    private final JsonNode problem;

    ApiError(int status, JsonNode problem, String message) {
      super(message);
      this.status = status;
      this.problem = problem;
    }

    public int status() {
      return status;
    }

    public JsonNode problem() {
      return problem;
    }
  }

  public JsonNode get(String path) {
    return send(HttpRequest.newBuilder(uri(path)).GET());
  }

  public JsonNode get(String path, Map<String, String> query) {
    StringJoiner q = new StringJoiner("&", "?", "");
    q.setEmptyValue("");
    query.forEach(
        (k, v) -> {
          if (v != null) {
            q.add(k + "=" + URLEncoder.encode(v, StandardCharsets.UTF_8));
          }
        });
    return get(path + q);
  }

  public JsonNode post(String path, JsonNode body, Map<String, String> headers) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(uri(path))
            .header("Content-Type", "application/json")
            .POST(
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(Wire.toJson(body)));
    headers.forEach(request::header);
    return send(request);
  }

  public JsonNode put(String path, JsonNode body) {
    return send(
        HttpRequest.newBuilder(uri(path))
            .header("Content-Type", "application/json")
            .PUT(HttpRequest.BodyPublishers.ofString(Wire.toJson(body))));
  }

  public void delete(String path) {
    send(HttpRequest.newBuilder(uri(path)).DELETE());
  }

  private URI uri(String path) {
    return URI.create(base + path);
  }

  private static final int MAX_REDIRECTS = 3;

  /**
   * A GET whose body is left to the caller to read, as a stream: for downloads, which must not be
   * held in memory. A redirect (to a presigned URL of the artifact store) is followed without the
   * token, which that URL neither needs nor may see. An error answer becomes an {@link ApiError}.
   *
   * @return the 200 answer; the caller closes its body
   */
  public HttpResponse<InputStream> open(String path) {
    URI target = uri(path);
    boolean ours = true;
    try {
      for (int hop = 0; hop <= MAX_REDIRECTS; hop++) {
        HttpRequest.Builder request =
            HttpRequest.newBuilder(target).GET().timeout(Duration.ofSeconds(30));
        if (ours) {
          request.header("Authorization", "Bearer " + token);
        }
        HttpResponse<InputStream> response =
            http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        int status = response.statusCode();
        if (status == 301 || status == 302 || status == 303 || status == 307 || status == 308) {
          String location = response.headers().firstValue("Location").orElse(null);
          response.body().close();
          if (location == null) {
            throw new IllegalStateException(
                "HTTP " + status + " without a Location from " + target);
          }
          // The API redirects only to presigned URLs, which carry their own authorization.
          target = target.resolve(location);
          ours = false;
          continue;
        }
        if (status >= 400) {
          String text;
          try (InputStream body = response.body()) {
            text = new String(body.readAllBytes(), StandardCharsets.UTF_8);
          }
          throw errorOf(status, text);
        }
        return response;
      }
      throw new IllegalStateException("more than " + MAX_REDIRECTS + " redirects from " + path);
    } catch (ConnectException e) {
      throw new IllegalStateException(
          "cannot reach the API at " + base + "; is it running? (./kfm up)");
    } catch (IOException e) {
      throw new IllegalStateException("request to " + target + " failed: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static ApiError errorOf(int status, String text) {
    JsonNode body = null;
    if (!text.isBlank()) {
      try {
        body = Wire.fromJson(text, JsonNode.class);
      } catch (RuntimeException notJson) {
        // an answer from something other than the API (a proxy, the artifact store)
      }
    }
    String detail = body == null ? "" : body.path("detail").asText(body.path("title").asText(""));
    return new ApiError(status, body, "HTTP " + status + ": " + detail);
  }

  private JsonNode send(HttpRequest.Builder request) {
    try {
      HttpResponse<String> response =
          http.send(
              request
                  .header("Authorization", "Bearer " + token)
                  .timeout(Duration.ofSeconds(30))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() >= 400) {
        throw errorOf(response.statusCode(), response.body());
      }
      return response.body().isBlank() ? null : Wire.fromJson(response.body(), JsonNode.class);
    } catch (ConnectException e) {
      throw new IllegalStateException(
          "cannot reach the API at " + base + "; is it running? (./kfm up)");
    } catch (IOException e) {
      throw new IllegalStateException("request to " + base + " failed: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
