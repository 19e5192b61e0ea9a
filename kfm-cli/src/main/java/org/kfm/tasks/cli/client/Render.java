package org.kfm.tasks.cli.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintStream;
import java.util.List;
import org.kfm.tasks.contracts.Wire;

/** Text for people: tables, progress bars, job summaries. Scripts use --json instead. */
public final class Render {
  private Render() {}

  public static void json(PrintStream out, JsonNode node) {
    try {
      out.println(Wire.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(node));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  public static String bar(double fraction, int width) {
    int filled = (int) Math.round(Math.max(0, Math.min(1, fraction)) * width);
    return "["
        + "#".repeat(filled)
        + "-".repeat(width - filled)
        + "] "
        + String.format("%3d%%", Math.round(fraction * 100));
  }

  public static boolean isTerminal(String status) {
    return List.of("succeeded", "failed", "canceled", "expired").contains(status);
  }

  /** One line: id, task, status, attempt, progress. */
  public static String line(JsonNode job) {
    return String.format(
        "%-36s  %-26s %-10s %d/%d  %s",
        job.path("id").asText(),
        job.path("task").asText(),
        job.path("status").asText(),
        job.path("attempt").asInt(),
        job.path("maxAttempts").asInt(),
        job.path("progress").isObject()
            ? bar(job.path("progress").path("fraction").asDouble(), 20)
            : "");
  }

  public static void job(PrintStream out, JsonNode job) {
    out.println("job       " + job.path("id").asText());
    out.println("task      " + job.path("task").asText() + " v" + job.path("taskVersion").asInt());
    out.println(
        "status    "
            + job.path("status").asText()
            + "  (attempt "
            + job.path("attempt").asInt()
            + " of "
            + job.path("maxAttempts").asInt()
            + ")");
    out.println("owner     " + job.path("owner").asText());
    out.println("created   " + job.path("createdAt").asText());
    if (job.hasNonNull("startedAt")) {
      out.println("started   " + job.path("startedAt").asText());
    }
    if (job.hasNonNull("finishedAt")) {
      out.println("finished  " + job.path("finishedAt").asText());
    }
    if (job.path("progress").isObject()) {
      out.println(
          "progress  "
              + bar(job.path("progress").path("fraction").asDouble(), 30)
              + " "
              + job.path("progress").path("message").asText(""));
    }
    if (job.path("error").isObject()) {
      JsonNode e = job.path("error");
      out.println(
          "error     "
              + e.path("code").asText()
              + ": "
              + e.path("message").asText()
              + " (errorId "
              + e.path("errorId").asText()
              + ")");
    }
    if (job.path("artifacts").isArray() && job.path("artifacts").size() > 0) {
      out.println("artifacts (kfm download " + job.path("id").asText() + ")");
      job.path("artifacts")
          .forEach(
              a ->
                  out.printf(
                      "  %-32s %12d bytes  %s%n",
                      a.path("name").asText(),
                      a.path("size").asLong(),
                      a.path("contentType").asText()));
    }
    if (job.path("result").isObject()) {
      out.println("result");
      job.path("result")
          .fields()
          .forEachRemaining(
              f -> {
                if (!f.getValue().isContainerNode()) {
                  out.println("  " + f.getKey() + " = " + f.getValue().asText());
                }
              });
      JsonNode bins = job.path("result").path("histogram").path("bins");
      if (bins.isArray() && bins.size() > 0) {
        histogram(out, bins);
      }
    }
  }

  private static void histogram(PrintStream out, JsonNode bins) {
    long max = 1;
    for (JsonNode bin : bins) {
      max = Math.max(max, bin.path("count").asLong());
    }
    out.println("  histogram");
    for (JsonNode bin : bins) {
      long count = bin.path("count").asLong();
      out.printf(
          "  %10.2f – %-10.2f %-40s %d%n",
          bin.path("from").asDouble(),
          bin.path("to").asDouble(),
          "█".repeat((int) Math.round(40.0 * count / max)),
          count);
    }
  }
}
