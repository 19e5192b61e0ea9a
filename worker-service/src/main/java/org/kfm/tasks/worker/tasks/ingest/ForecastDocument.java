package org.kfm.tasks.worker.tasks.ingest;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import com.networknt.schema.path.NodePath;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.kfm.tasks.contracts.TaskFailure;

/**
 * Reads an upstream forecast body into a {@link Forecast}, or fails the attempt for good with a
 * data-quality code: {@code EMPTY_FORECAST} (no body, or no periods) or {@code MALFORMED_FORECAST}
 * (not JSON, not the schema, or values that cannot be true). Retrying cannot fix what the upstream
 * published; the next scheduled pull reads its next version.
 */
final class ForecastDocument {
  static final String MALFORMED = "MALFORMED_FORECAST";
  static final String EMPTY = "EMPTY_FORECAST";

  /** Beyond the coldest and hottest air temperatures ever measured, with a margin. */
  private static final double MIN_F = -140;

  private static final double MAX_F = 150;
  private static final double MIN_C = -95;
  private static final double MAX_C = 66;
  private static final int MAX_REPORTED_ERRORS = 5;

  private static final ObjectMapper JSON =
      new ObjectMapper()
          .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
  private static final Schema SCHEMA = loadSchema();

  private ForecastDocument() {}

  static Forecast read(byte[] body) {
    if (body.length == 0) {
      throw TaskFailure.permanent(EMPTY, "the upstream sent an empty body");
    }
    JsonNode root;
    try {
      root = JSON.readTree(body);
    } catch (IOException e) {
      throw malformed(
          "not JSON: "
              + (e instanceof JsonProcessingException json ? json.getOriginalMessage() : e));
    }
    if (root.isMissingNode()) {
      throw TaskFailure.permanent(EMPTY, "the upstream sent a body of whitespace only");
    }
    List<String> errors = schemaErrors(root);
    if (!errors.isEmpty()) {
      throw malformed("does not match the gridpoint forecast schema: " + String.join("; ", errors));
    }
    JsonNode properties = root.path("properties");
    JsonNode periods = properties.path("periods");
    if (periods.isEmpty()) {
      throw TaskFailure.permanent(EMPTY, "the forecast has no periods");
    }
    JsonNode updatedField =
        properties.hasNonNull("updateTime")
            ? properties.get("updateTime")
            : properties.get("updated");
    Instant updated = instant(updatedField.asText());
    List<Forecast.Period> read = new ArrayList<>();
    for (JsonNode period : periods) {
      Forecast.Period p = period(period);
      checkRanges(p, read.isEmpty() ? null : read.get(read.size() - 1));
      read.add(p);
    }
    JsonNode geometry = root.path("geometry").isObject() ? root.get("geometry") : null;
    double[] centroid = geometry == null ? null : GridCentroid.of(geometry.get("coordinates"));
    return new Forecast(
        updated,
        geometry,
        centroid == null ? null : centroid[0],
        centroid == null ? null : centroid[1],
        read);
  }

  private static Forecast.Period period(JsonNode p) {
    JsonNode pop = p.path("probabilityOfPrecipitation").path("value");
    return new Forecast.Period(
        p.get("number").asInt(),
        p.get("name").asText(),
        instant(p.get("startTime").asText()),
        instant(p.get("endTime").asText()),
        p.get("isDaytime").asBoolean(),
        p.get("temperature").asDouble(),
        p.get("temperatureUnit").asText(),
        text(p, "windSpeed"),
        text(p, "windDirection"),
        p.get("shortForecast").asText(),
        text(p, "detailedForecast"),
        pop.isNumber() ? (int) Math.round(pop.asDouble()) : null);
  }

  private static void checkRanges(Forecast.Period p, Forecast.Period previous) {
    String which = "period " + p.number() + " (" + p.name() + ")";
    if (!p.start().isBefore(p.end())) {
      throw malformed(which + " ends at " + p.end() + ", not after its start " + p.start());
    }
    if (previous != null && p.start().isBefore(previous.end())) {
      throw malformed(
          which
              + " starts at "
              + p.start()
              + ", before period "
              + previous.number()
              + " ends: periods out of time order or overlapping");
    }
    boolean fahrenheit = "F".equals(p.temperatureUnit());
    double min = fahrenheit ? MIN_F : MIN_C;
    double max = fahrenheit ? MAX_F : MAX_C;
    if (!(p.temperature() >= min && p.temperature() <= max)) {
      throw malformed(
          which
              + " has temperature "
              + p.temperature()
              + " "
              + p.temperatureUnit()
              + ", outside the plausible ["
              + min
              + ", "
              + max
              + "]");
    }
  }

  private static String text(JsonNode node, String field) {
    JsonNode value = node.get(field);
    return value == null || value.isNull() ? null : value.asText();
  }

  /** The schema's pattern has already checked the shape; this also checks it is a real date. */
  private static Instant instant(String text) {
    try {
      return OffsetDateTime.parse(text).toInstant();
    } catch (java.time.format.DateTimeParseException e) {
      throw malformed("not a date-time: " + text);
    }
  }

  private static List<String> schemaErrors(JsonNode root) {
    List<Error> errors = SCHEMA.validate(root);
    return errors.stream()
        .limit(MAX_REPORTED_ERRORS)
        .map(e -> pointerOf(e.getInstanceLocation()) + ": " + e.getMessage())
        .collect(Collectors.toList());
  }

  private static String pointerOf(NodePath path) {
    StringBuilder pointer = new StringBuilder();
    for (int i = 0; i < path.getNameCount(); i++) {
      pointer.append('/').append(path.getElement(i));
    }
    return pointer.length() == 0 ? "/" : pointer.toString();
  }

  private static TaskFailure malformed(String message) {
    return TaskFailure.permanent(MALFORMED, "forecast " + message);
  }

  private static Schema loadSchema() {
    try (InputStream in =
        ForecastDocument.class.getResourceAsStream("/schemas/nws-gridpoint-forecast.schema.json")) {
      if (in == null) {
        throw new IllegalStateException("schemas/nws-gridpoint-forecast.schema.json is missing");
      }
      return SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12)
          .getSchema(JSON.readTree(in));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
