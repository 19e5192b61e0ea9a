package org.kfm.tasks.cli.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
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

  private URI uri(String path) {
    return URI.create(base + path);
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
      JsonNode body =
          response.body().isBlank() ? null : Wire.fromJson(response.body(), JsonNode.class);
      if (response.statusCode() >= 400) {
        String detail =
            body == null ? "" : body.path("detail").asText(body.path("title").asText(""));
        throw new ApiError(
            response.statusCode(), body, "HTTP " + response.statusCode() + ": " + detail);
      }
      return body;
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
