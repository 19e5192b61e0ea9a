package org.kfm.tasks.cli.demo;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The gist of a finished job in one short line: what its result says, or why it failed. */
public final class Headline {
  private static final int MAX = 90;

  private Headline() {}

  /**
   * @param job a job as {@code GET /api/v1/jobs/{id}} returns it
   */
  public static String of(JsonNode job) {
    String status = job.path("status").asText();
    if (job.path("error").isObject() && !status.equals("succeeded")) {
      JsonNode e = job.path("error");
      return cut(e.path("code").asText() + ": " + e.path("message").asText());
    }
    if (!status.equals("succeeded")) {
      return status;
    }
    return cut(
        ofResult(job.path("task").asText(), job.path("result"), job.path("attempt").asInt()));
  }

  /** Several runs of analysis.run_simulation as one line: how many, and their p95s' range. */
  public static String ofRuns(List<JsonNode> jobs) {
    double low = Double.POSITIVE_INFINITY;
    double high = Double.NEGATIVE_INFINITY;
    long trials = 0;
    for (JsonNode job : jobs) {
      double p95 = job.path("result").path("p95").asDouble();
      low = Math.min(low, p95);
      high = Math.max(high, p95);
      trials += job.path("result").path("runs").asLong();
    }
    return String.format(
        Locale.ROOT,
        "%d runs stored (%,d trials), p95 from %s to %s",
        jobs.size(),
        trials,
        number(low),
        number(high));
  }

  static String ofResult(String task, JsonNode r, int attempt) {
    return switch (task) {
      case "analysis.run_simulation" ->
          String.format(
              Locale.ROOT,
              "%,d trials: mean %s, p95 %s, P(loss) %.0f%%",
              r.path("runs").asLong(),
              number(r.path("mean").asDouble()),
              number(r.path("p95").asDouble()),
              100 * r.path("probabilityOfLoss").asDouble());
      case "system.noop" -> "done on attempt " + r.path("attempt").asInt(attempt);
      case "exports.simulation_report", "exports.dataset" -> export(r);
      case "ingest.noaa_forecast" -> forecast(r);
      case "ingest.imagery_scene" ->
          "scene "
              + r.path("sceneId").asText()
              + " ("
              + r.path("sensor").asText()
              + ", acquired "
              + r.path("acquiredAt").asText()
              + ") recorded";
      case "geo.tile_cache_warm" ->
          r.path("layer").asText()
              + " z"
              + r.path("minZoom").asInt()
              + "-"
              + r.path("maxZoom").asInt()
              + ": "
              + r.path("message").asText();
      case "maintenance.prune_artifacts" ->
          sweep(r.path("dryRun").asBoolean(), r, "files")
              + " under "
              + r.path("prefix").asText()
              + " older than "
              + r.path("olderThanDays").asInt()
              + " d";
      case "maintenance.cache_cleanup" ->
          sweep(r.path("dryRun").asBoolean(), r.path("tiles"), "tiles")
              + "; "
              + r.path("tempFiles")
                  .path(r.path("dryRun").asBoolean() ? "wouldRemove" : "removed")
                  .path("count")
                  .asLong()
              + " temporary files";
      case "ml.retrain" -> retrain(r);
      case "ml.batch_inference" ->
          String.format(
              Locale.ROOT,
              "%s v%d scored %d runs: %s RMSE %s, R² %.4f",
              r.path("model").asText(),
              r.path("version").asInt(),
              r.path("rows").asInt(),
              r.path("target").asText(),
              number(r.path("errorVsActual").path("rmse").asDouble()),
              r.path("errorVsActual").path("r2").asDouble());
      default -> scalars(r);
    };
  }

  private static String export(JsonNode r) {
    String rows = r.has("rows") ? r.path("rows").asLong() + " rows, " : "";
    return r.path("artifact").asText() + ": " + rows + bytes(r.path("bytes").asLong());
  }

  private static String forecast(JsonNode r) {
    String cell = r.path("office").asText() + "/" + r.path("gridX") + "," + r.path("gridY");
    if (r.path("changed").asBoolean()) {
      return cell
          + ": "
          + r.path("periods").asInt()
          + " periods stored, issued "
          + r.path("updated").asText();
    }
    return cell
        + " unchanged ("
        + r.path("reason").asText()
        + "): "
        + r.path("periods").asInt()
        + " periods kept, nothing written";
  }

  private static String retrain(JsonNode r) {
    JsonNode m = r.path("metrics");
    return String.format(
        Locale.ROOT,
        "%s v%d on %d runs, %d held out: RMSE %s, R² %.4f, %s",
        r.path("model").asText(),
        r.path("version").asInt(),
        m.path("trainRows").asInt(),
        m.path("testRows").asInt(),
        number(m.path("holdout").path("rmse").asDouble()),
        m.path("holdout").path("r2").asDouble(),
        r.path("promoted").asBoolean() ? "promoted" : "not promoted");
  }

  private static String sweep(boolean dryRun, JsonNode outcome, String what) {
    JsonNode removed = outcome.path(dryRun ? "wouldRemove" : "removed");
    return (dryRun ? "would remove " : "removed ")
        + removed.path("count").asLong()
        + " of "
        + outcome.path("scanned").asLong()
        + " "
        + what
        + " ("
        + bytes(removed.path("bytes").asLong())
        + ")";
  }

  private static String scalars(JsonNode r) {
    List<String> parts = new ArrayList<>();
    r.fields()
        .forEachRemaining(
            f -> {
              if (f.getValue().isValueNode() && parts.size() < 4) {
                parts.add(f.getKey() + "=" + f.getValue().asText());
              }
            });
    return String.join(", ", parts);
  }

  static String number(double value) {
    if (Math.abs(value) >= 100) {
      return String.format(Locale.ROOT, "%,.0f", value);
    }
    return String.format(Locale.ROOT, Math.abs(value) >= 10 ? "%.1f" : "%.3g", value);
  }

  static String bytes(long bytes) {
    if (bytes < 1024) {
      return bytes + " B";
    }
    if (bytes < 1024 * 1024) {
      return String.format(Locale.ROOT, "%.1f kB", bytes / 1024.0);
    }
    return String.format(Locale.ROOT, "%.1f MB", bytes / (1024.0 * 1024));
  }

  private static String cut(String text) {
    return text.length() <= MAX ? text : text.substring(0, MAX - 1) + "…";
  }
}
