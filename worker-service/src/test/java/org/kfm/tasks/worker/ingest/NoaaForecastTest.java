package org.kfm.tasks.worker.ingest;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.kfm.tasks.testing.TaskCommands.aCommand;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.UUID;
import javax.sql.DataSource;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.kfm.tasks.artifacts.ArtifactStore;
import org.kfm.tasks.contracts.ArtifactRef;
import org.kfm.tasks.contracts.JobEvent;
import org.kfm.tasks.contracts.JobEventType;
import org.kfm.tasks.contracts.TaskCommand;
import org.kfm.tasks.contracts.Wire;
import org.kfm.tasks.testing.KafkaTestClient;
import org.kfm.tasks.worker.outputs.Commands;

/**
 * {@code ingest.noaa_forecast} through the real worker against a real HTTP server shaped like the
 * NWS API (WireMock, fixtures under {@code src/test/resources/nws}). Each test pulls its own grid
 * cell, so the tests share the server and the database without seeing each other's rows.
 */
@QuarkusTest
class NoaaForecastTest {
  private static final String GEO_JSON = "application/geo+json";

  @ConfigProperty(name = "kafka.bootstrap.servers")
  String bootstrap;

  @ConfigProperty(name = "kfm.ingest.noaa.base-url")
  URI upstreamUrl;

  @Inject DataSource dataSource;
  @Inject ArtifactStore store;

  private KafkaTestClient kafka;
  private Commands commands;
  private WireMock upstream;

  @BeforeEach
  void connect() {
    kafka = new KafkaTestClient(bootstrap);
    commands = new Commands(kafka);
    upstream = new WireMock(upstreamUrl.getHost(), upstreamUrl.getPort());
  }

  @AfterEach
  void disconnect() {
    kafka.close();
  }

  @Test
  void aForecastIsStoredPeriodByPeriodWithItsLineage() throws Exception {
    String path = path("TOP", 31, 80);
    upstream.register(
        get(urlEqualTo(path))
            .willReturn(forecast("forecast-TOP-31-80.json").withHeader("ETag", "\"fc-1\"")));

    TaskCommand command =
        aCommand()
            .forTask("ingest.noaa_forecast")
            .withParams(params("TOP", 31, 80))
            .withLineage("{\"pipeline_run_id\":\"hourly-7\"}")
            .build();
    commands.send(command);
    JobEvent outcome = commands.outcome(command.jobId(), 1);

    assertThat(outcome.type()).isEqualTo(JobEventType.SUCCEEDED);
    JsonNode result = outcome.result();
    assertThat(result.path("changed").asBoolean()).isTrue();
    assertThat(result.path("periods").asInt()).isEqualTo(14);
    assertThat(result.path("updated").asText()).isEqualTo("2026-11-30T13:52:41Z");
    assertThat(result.path("etag").asText()).isEqualTo("\"fc-1\"");
    assertThat(result.path("from").asText()).isEqualTo("2026-11-30T14:00:00Z");
    assertThat(result.path("to").asText()).isEqualTo("2026-12-07T12:00:00Z");
    assertThat(count("TOP", 31, 80)).isEqualTo(14);
    assertThat(
            single(
                "SELECT name || '|' || temperature || '|' || temperature_unit || '|'"
                    + " || coalesce(precipitation_probability::text, '-') || '|' || wind_speed"
                    + " FROM worker.forecast_periods WHERE office = 'TOP' AND grid_x = 31"
                    + " AND grid_y = 80 AND start_time = '2026-12-01T12:00:00Z'"))
        .isEqualTo("Tuesday|52|F|10|10 mph");
    JsonNode lineage =
        Wire.fromJson(
            single(
                "SELECT lineage::text FROM worker.forecast_periods WHERE office = 'TOP'"
                    + " AND grid_x = 31 AND grid_y = 80 ORDER BY start_time LIMIT 1"),
            JsonNode.class);
    assertThat(lineage.path("jobId").asText()).isEqualTo(command.jobId().toString());
    assertThat(lineage.path("pipeline_run_id").asText()).isEqualTo("hourly-7");
    assertThat(lineage.path("upstream").path("url").asText()).isEqualTo(upstreamUrl + path);
    assertThat(lineage.path("upstream").path("updated").asText()).isEqualTo("2026-11-30T13:52:41Z");
    assertThat(lineage.path("upstream").path("etag").asText()).isEqualTo("\"fc-1\"");
    assertThat(marker("TOP", 31, 80, "etag")).isEqualTo("\"fc-1\"");

    LoggedRequest request = upstream.find(getRequestedFor(urlEqualTo(path))).get(0);
    assertThat(request.getHeader("User-Agent")).isEqualTo("kfm-tasks (ops@example.org)");
    assertThat(request.getHeader("Accept")).isEqualTo(GEO_JSON);
    assertThat(request.containsHeader("If-None-Match")).isFalse();
  }

  @Test
  void aNotModifiedAnswerToTheStoredEtagWritesNothing() throws Exception {
    String path = path("TOP", 32, 80);
    upstream.register(
        get(urlEqualTo(path))
            .withHeader("If-None-Match", absent())
            .willReturn(forecast("forecast-TOP-31-80.json").withHeader("ETag", "\"fc-2\"")));
    upstream.register(
        get(urlEqualTo(path))
            .withHeader("If-None-Match", equalTo("\"fc-2\""))
            .willReturn(aResponse().withStatus(304).withHeader("ETag", "\"fc-2\"")));
    JobEvent first = pull("TOP", 32, 80);
    assertThat(first.result().path("changed").asBoolean()).isTrue();

    JobEvent second = pull("TOP", 32, 80);

    assertThat(second.type()).isEqualTo(JobEventType.SUCCEEDED);
    assertThat(second.result().path("changed").asBoolean()).isFalse();
    assertThat(second.result().path("reason").asText()).isEqualTo("not_modified");
    assertThat(second.result().path("updated").asText()).isEqualTo("2026-11-30T13:52:41Z");
    assertThat(upstream.find(getRequestedFor(urlEqualTo(path))).get(1).getHeader("If-None-Match"))
        .isEqualTo("\"fc-2\"");
    assertThat(count("TOP", 32, 80)).isEqualTo(14);
    assertThat(outputRecords(second.jobId())).isZero();
    assertThat(marker("TOP", 32, 80, "job_id")).isEqualTo(first.jobId().toString());
  }

  @Test
  void theSameUpdateTimeAgainWritesNothing() throws Exception {
    String path = path("TOP", 33, 80);
    // No ETag: the pull cannot ask conditionally and compares the update time instead.
    upstream.register(get(urlEqualTo(path)).willReturn(forecast("forecast-TOP-31-80.json")));
    JobEvent first = pull("TOP", 33, 80);
    assertThat(first.result().path("changed").asBoolean()).isTrue();

    JobEvent second = pull("TOP", 33, 80);

    assertThat(second.result().path("changed").asBoolean()).isFalse();
    assertThat(second.result().path("reason").asText()).isEqualTo("same_updated");
    assertThat(outputRecords(second.jobId())).isZero();
    assertThat(marker("TOP", 33, 80, "job_id")).isEqualTo(first.jobId().toString());
    assertThat(upstream.find(getRequestedFor(urlEqualTo(path))))
        .allSatisfy(r -> assertThat(r.containsHeader("If-None-Match")).isFalse());
  }

  @Test
  void aLaterIssueReplacesThePeriodsItSupersedes() throws Exception {
    String path = path("TOP", 34, 80);
    upstream.register(get(urlEqualTo(path)).willReturn(forecast("forecast-TOP-31-80.json")));
    pull("TOP", 34, 80);
    // The most recent stub wins in WireMock: the upstream has issued a new forecast.
    upstream.register(get(urlEqualTo(path)).willReturn(forecast("forecast-TOP-31-80-later.json")));

    JobEvent later = pull("TOP", 34, 80);

    assertThat(later.result().path("changed").asBoolean()).isTrue();
    assertThat(later.result().path("superseded").asInt()).isEqualTo(1);
    assertThat(count("TOP", 34, 80)).isEqualTo(14);
    assertThat(
            single(
                "SELECT name || '|' || temperature FROM worker.forecast_periods"
                    + " WHERE office = 'TOP' AND grid_x = 34 AND grid_y = 80"
                    + " ORDER BY start_time LIMIT 1"))
        .isEqualTo("This Afternoon|50");
    assertThat(
            single(
                "SELECT count(*) FROM worker.forecast_periods WHERE office = 'TOP' AND grid_x = 34"
                    + " AND grid_y = 80 AND upstream_updated = '2026-11-30T20:41:09Z'"))
        .isEqualTo("14");
  }

  @Test
  void aForecastWithoutPeriodsFailsForGood() throws Exception {
    String body =
        new String(fixture("forecast-TOP-31-80.json"), StandardCharsets.UTF_8)
            .replaceAll("(?s)\"periods\": \\[.*]", "\"periods\": []");
    assertThat(body).contains("\"periods\": []");
    upstream.register(
        get(urlEqualTo(path("TOP", 40, 80)))
            .willReturn(aResponse().withHeader("Content-Type", GEO_JSON).withBody(body)));

    assertPermanent(pull("TOP", 40, 80), "EMPTY_FORECAST");
    assertThat(count("TOP", 40, 80)).isZero();
  }

  @Test
  void aMalformedBodyFailsForGood() throws Exception {
    byte[] whole = fixture("forecast-TOP-31-80.json");
    upstream.register(
        get(urlEqualTo(path("TOP", 41, 80)))
            .willReturn(
                aResponse()
                    .withHeader("Content-Type", GEO_JSON)
                    .withBody(Arrays.copyOf(whole, whole.length / 2))));

    assertPermanent(pull("TOP", 41, 80), "MALFORMED_FORECAST");
    assertThat(count("TOP", 41, 80)).isZero();
  }

  @Test
  void anOversizedBodyIsRefusedUnread() {
    // The test profile caps bodies at 64 kB.
    upstream.register(
        get(urlEqualTo(path("TOP", 42, 80)))
            .willReturn(
                aResponse()
                    .withHeader("Content-Type", GEO_JSON)
                    .withBody("{\"type\":\"Feature\",\"pad\":\"" + "x".repeat(100_000) + "\"}")));

    JobEvent outcome = pull("TOP", 42, 80);

    assertPermanent(outcome, "FORECAST_TOO_LARGE");
    assertThat(outcome.error().message()).contains("65536");
  }

  @Test
  void throttlingIsRetriedNoSoonerThanRetryAfterSays() {
    upstream.register(
        get(urlEqualTo(path("TOP", 43, 80)))
            .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "120")));

    Instant before = Instant.now();
    JobEvent outcome = pull("TOP", 43, 80);
    Instant after = Instant.now();

    assertThat(outcome.type()).isEqualTo(JobEventType.FAILED);
    assertThat(outcome.error().code()).isEqualTo("UPSTREAM_THROTTLED");
    assertThat(outcome.error().retryable()).isTrue();
    assertThat(outcome.error().retryNotBefore())
        .isBetween(before.plusSeconds(120), after.plusSeconds(120));
  }

  @Test
  void anUpstreamErrorIsRetried() {
    upstream.register(get(urlEqualTo(path("TOP", 44, 80))).willReturn(aResponse().withStatus(500)));

    JobEvent outcome = pull("TOP", 44, 80);

    assertThat(outcome.type()).isEqualTo(JobEventType.FAILED);
    assertThat(outcome.error().code()).isEqualTo("UPSTREAM_UNAVAILABLE");
    assertThat(outcome.error().retryable()).isTrue();
    assertThat(outcome.error().retryNotBefore()).isNull();
  }

  @Test
  void anUnknownGridCellIsRejectedForGood() {
    upstream.register(
        get(urlEqualTo(path("TOP", 45, 80)))
            .willReturn(
                aResponse()
                    .withStatus(404)
                    .withHeader("Content-Type", "application/problem+json")
                    .withBody(
                        "{\"title\":\"Not Found\",\"status\":404,\"detail\":\"Data Unavailable"
                            + " For Requested Point\"}")));

    JobEvent outcome = pull("TOP", 45, 80);

    assertPermanent(outcome, "UPSTREAM_REJECTED");
    assertThat(outcome.error().message()).contains("HTTP 404");
  }

  @Test
  void anAnswerSlowerThanTheReadTimeoutIsRetried() throws Exception {
    // The test profile's read timeout is 2 s.
    upstream.register(
        get(urlEqualTo(path("TOP", 46, 80)))
            .willReturn(forecast("forecast-TOP-31-80.json").withFixedDelay(6_000)));

    Instant sent = Instant.now();
    JobEvent outcome = pull("TOP", 46, 80);

    assertThat(outcome.type()).isEqualTo(JobEventType.FAILED);
    assertThat(outcome.error().code()).isEqualTo("UPSTREAM_TIMEOUT");
    assertThat(outcome.error().retryable()).isTrue();
    assertThat(Duration.between(sent, outcome.at())).isLessThan(Duration.ofSeconds(5));
    assertThat(count("TOP", 46, 80)).isZero();
  }

  @Test
  void storedForecastsExportAsCsvAndAsPointsForAnyAnalyst() throws Exception {
    upstream.register(
        get(urlEqualTo(path("TOP", 50, 60))).willReturn(forecast("forecast-TOP-31-80.json")));
    assertThat(pull("TOP", 50, 60).type()).isEqualTo(JobEventType.SUCCEEDED);
    String filters = "\"filters\":{\"office\":\"TOP\",\"grid_x\":50,\"grid_y\":60}";

    // Forecasts are shared reference data: another user than the puller exports them.
    JobEvent csv = export("{\"dataset\":\"forecast_periods\",\"format\":\"csv\"," + filters + "}");
    assertThat(csv.type()).isEqualTo(JobEventType.SUCCEEDED);
    assertThat(csv.result().path("rows").asLong()).isEqualTo(14);
    String text = new String(read(csv.artifacts().get(0)), StandardCharsets.UTF_8);
    String[] lines = text.split("\r\n");
    assertThat(lines).hasSize(15);
    assertThat(lines[0]).startsWith("office,grid_x,grid_y,start_time,end_time,period_number,name");
    assertThat(lines[1]).startsWith("TOP,50,60,2026-11-30T14:00:00Z,2026-12-01T00:00:00Z,1,Today");

    JobEvent geojson =
        export("{\"dataset\":\"forecast_periods\",\"format\":\"geojson\"," + filters + "}");
    JsonNode collection =
        Wire.fromJson(
            new String(read(geojson.artifacts().get(0)), StandardCharsets.UTF_8), JsonNode.class);
    assertThat(collection.path("features")).hasSize(14);
    JsonNode feature = collection.path("features").get(0);
    assertThat(feature.path("geometry").path("type").asText()).isEqualTo("Point");
    assertThat(feature.path("geometry").path("coordinates").get(0).asDouble())
        .isCloseTo(-97.0944, within(0.001));
    assertThat(feature.path("geometry").path("coordinates").get(1).asDouble())
        .isCloseTo(39.7560, within(0.001));
    assertThat(feature.path("properties").path("name").asText()).isEqualTo("Today");
    assertThat(feature.path("properties").has("grid_lon")).isFalse();
  }

  private JobEvent export(String params) {
    TaskCommand command =
        aCommand().forTask("exports.dataset").ownedBy("mallory").withParams(params).build();
    commands.send(command);
    return commands.outcome(command.jobId(), 1);
  }

  private JobEvent pull(String office, int x, int y) {
    TaskCommand command = commands.send("ingest.noaa_forecast", params(office, x, y));
    return commands.outcome(command.jobId(), 1);
  }

  private static void assertPermanent(JobEvent outcome, String code) {
    assertThat(outcome.type()).isEqualTo(JobEventType.FAILED);
    assertThat(outcome.error().code()).isEqualTo(code);
    assertThat(outcome.error().retryable()).isFalse();
  }

  private static String params(String office, int x, int y) {
    return "{\"office\":\"" + office + "\",\"grid_x\":" + x + ",\"grid_y\":" + y + "}";
  }

  private static String path(String office, int x, int y) {
    return "/gridpoints/" + office + "/" + x + "," + y + "/forecast";
  }

  private static ResponseDefinitionBuilder forecast(String fixture) throws IOException {
    return aResponse()
        .withStatus(200)
        .withHeader("Content-Type", GEO_JSON)
        .withBody(fixture(fixture));
  }

  private static byte[] fixture(String name) throws IOException {
    try (InputStream in = NoaaForecastTest.class.getResourceAsStream("/nws/" + name)) {
      return in.readAllBytes();
    }
  }

  private byte[] read(ArtifactRef artifact) throws Exception {
    try (InputStream in = store.open(artifact.key(), 0, artifact.size())) {
      return in.readAllBytes();
    }
  }

  private int count(String office, int x, int y) throws SQLException {
    return Integer.parseInt(
        single(
            "SELECT count(*) FROM worker.forecast_periods WHERE office = '"
                + office
                + "' AND grid_x = "
                + x
                + " AND grid_y = "
                + y));
  }

  private String marker(String office, int x, int y, String column) throws SQLException {
    return single(
        "SELECT "
            + column
            + "::text FROM worker.forecast_markers WHERE office = '"
            + office
            + "' AND grid_x = "
            + x
            + " AND grid_y = "
            + y);
  }

  private int outputRecords(UUID jobId) throws SQLException {
    return Integer.parseInt(
        single("SELECT count(*) FROM worker.job_outputs WHERE job_id = '" + jobId + "'"));
  }

  private String single(String sql) throws SQLException {
    try (Connection conn = dataSource.getConnection();
        Statement statement = conn.createStatement();
        ResultSet result = statement.executeQuery(sql)) {
      assertThat(result.next()).as("a row for " + sql).isTrue();
      return result.getString(1);
    }
  }
}
