package org.kfm.tasks.cli.stack;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kfm.tasks.contracts.Wire;

class ForecastServerTest {
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private ForecastServer server;

  @BeforeEach
  void start() throws IOException {
    server = ForecastServer.start(0);
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private HttpResponse<String> get(String path, String... headers)
      throws IOException, InterruptedException {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
            .timeout(Duration.ofSeconds(5));
    if (headers.length > 0) {
      request.headers(headers);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void aFixtureCellIsAGeoJsonForecastWithPeriodsAnUpdateTimeAndAnEtag() throws Exception {
    HttpResponse<String> response = get("/gridpoints/TOP/31,80/forecast");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type")).hasValue("application/geo+json");
    assertThat(response.headers().firstValue("ETag")).get().asString().matches("\"[0-9a-f]{16}\"");
    JsonNode forecast = Wire.fromJson(response.body(), JsonNode.class);
    assertThat(forecast.path("type").asText()).isEqualTo("Feature");
    assertThat(forecast.path("geometry").path("type").asText()).isEqualTo("Polygon");
    assertThat(forecast.path("properties").path("updated").asText())
        .isEqualTo("2026-11-30T13:52:41+00:00");
    JsonNode periods = forecast.path("properties").path("periods");
    assertThat(periods).hasSize(14);
    assertThat(periods.get(0).path("name").asText()).isEqualTo("Today");
  }

  @Test
  void theSameAnswerTwiceHasTheSameEtagAndItsEtagGets304WithoutABody() throws Exception {
    String etag = get("/gridpoints/TOP/31,80/forecast").headers().firstValue("ETag").orElseThrow();
    assertThat(get("/gridpoints/TOP/31,80/forecast").headers().firstValue("ETag")).hasValue(etag);

    HttpResponse<String> again = get("/gridpoints/TOP/31,80/forecast", "If-None-Match", etag);
    HttpResponse<String> weak =
        get("/gridpoints/TOP/31,80/forecast", "If-None-Match", "\"other\", W/" + etag);

    assertThat(again.statusCode()).isEqualTo(304);
    assertThat(again.body()).isEmpty();
    assertThat(again.headers().firstValue("ETag")).hasValue(etag);
    assertThat(weak.statusCode()).isEqualTo(304);
  }

  @Test
  void anotherEtagGetsTheWholeForecast() throws Exception {
    HttpResponse<String> response =
        get("/gridpoints/TOP/31,80/forecast", "If-None-Match", "\"0000000000000000\"");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).contains("\"periods\"");
  }

  @Test
  void aCellWithoutAFixtureAndAnyOtherPathAre404ProblemsAndOnlyReadsAreAllowed() throws Exception {
    HttpResponse<String> cell = get("/gridpoints/TOP/1,2/forecast");
    HttpResponse<String> traversal = get("/gridpoints/..%2F..%2Fetc/1,2/forecast");
    HttpResponse<String> other = get("/points/39.7456,-97.0892");
    HttpResponse<String> post =
        http.send(
            HttpRequest.newBuilder(
                    URI.create(
                        "http://127.0.0.1:" + server.port() + "/gridpoints/TOP/31,80/forecast"))
                .POST(HttpRequest.BodyPublishers.ofString("{}"))
                .build(),
            HttpResponse.BodyHandlers.ofString());

    assertThat(cell.statusCode()).isEqualTo(404);
    assertThat(cell.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    assertThat(Wire.fromJson(cell.body(), JsonNode.class).path("status").asInt()).isEqualTo(404);
    assertThat(traversal.statusCode()).isEqualTo(404);
    assertThat(other.statusCode()).isEqualTo(404);
    assertThat(post.statusCode()).isEqualTo(405);
    assertThat(post.headers().firstValue("Allow")).hasValue("GET, HEAD");
  }

  @Test
  void theStackPointsWorkersAtItUnlessARealApiIsConfigured(@TempDir Path root) {
    StackLayout local = StackLayout.fromEnvironment(root, Map.of("KFM_FORECAST_PORT", "18090"));
    StackLayout real =
        StackLayout.fromEnvironment(root, Map.of("KFM_NOAA_BASE_URL", "https://api.weather.gov"));

    assertThat(local.forecastUrl()).isEqualTo("http://127.0.0.1:18090");
    assertThat(StackLayout.fromEnvironment(root, Map.of()).forecastUrl())
        .isEqualTo("http://127.0.0.1:8090");
    assertThat(real.forecastUrl()).isEqualTo("https://api.weather.gov");
    var worker = local.workers(false).get(0);
    assertThat(new LocalStack(local, System.out).workerEnvironment(worker))
        .containsEntry("KFM_NOAA_BASE_URL", "http://127.0.0.1:18090");
    assertThat(new LocalStack(real, System.out).workerEnvironment(worker))
        .containsEntry("KFM_NOAA_BASE_URL", "https://api.weather.gov");
  }
}
