package org.kfm.tasks.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.kfm.tasks.cli.client.ApiClient;
import org.kfm.tasks.cli.client.Render;
import org.kfm.tasks.cli.stack.StackLayout;
import org.kfm.tasks.contracts.JobIds;
import org.kfm.tasks.contracts.Wire;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * Submits one job of each shipped task and shows them progressing side by side; then, from the
 * simulations' stored runs, a PDF report and a CSV export, whose files it says how to download.
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    versionProvider = KfmVersion.class,
    description = {
      "Submit one job of each shipped task and watch them side by side; then a report and an",
      "export of the simulations, ready to download."
    })
class DemoCommand implements Callable<Integer> {
  @ParentCommand Kfm kfm;

  @Option(
      names = "--timeout",
      description = "Stop watching after this many seconds (default ${DEFAULT-VALUE}).")
  long timeoutSeconds = 300;

  /** A demo submission: who submits it (by role) and with which params. */
  private record Example(String label, String task, String role, String params) {}

  private static List<Example> examples(long stamp) {
    return List.of(
        new Example(
            "simulation, 300k runs",
            "analysis.run_simulation",
            "analyst",
            "{\"scenario_id\":\"demo-small-"
                + stamp
                + "\",\"runs\":300000,\"annual_event_rate\":2,\"severity\":{\"mu\":1,\"sigma\":0.5}}"),
        new Example(
            "simulation, 3M runs x 5 years",
            "analysis.run_simulation",
            "analyst",
            "{\"scenario_id\":\"demo-large-"
                + stamp
                + "\",\"runs\":3000000,\"horizon_years\":5,\"annual_event_rate\":1.2,\"severity\":{\"mu\":2,\"sigma\":1.1},\"bins\":30}"),
        new Example(
            "noop failing once, then retried",
            "system.noop",
            "admin",
            "{\"fail_first_attempts\":1,\"sleep_ms\":2000}"));
  }

  @Override
  public Integer call() throws InterruptedException {
    StackLayout layout = kfm.layout();
    long stamp = System.currentTimeMillis() / 1000;
    Map<String, ApiClient> clients = new LinkedHashMap<>();
    List<String> ids = new ArrayList<>();
    List<String> labels = new ArrayList<>();
    for (Example example : examples(stamp)) {
      ids.add(submit(clients, layout, example));
      labels.add(example.label());
    }
    ApiClient admin = clients.get("admin");
    long deadline = System.currentTimeMillis() + timeoutSeconds * 1000;
    List<String> lines = watch(admin, ids, labels, deadline);
    if (lines == null) {
      return 5;
    }
    String smallRun = ids.get(0);
    String largeRun = ids.get(1);
    if (!lines.get(0).contains(" succeeded ") || !lines.get(1).contains(" succeeded ")) {
      System.err.println("the simulations did not succeed; no report or export to make");
      return 1;
    }
    List<String> outputs =
        List.of(
            submit(
                clients,
                layout,
                new Example(
                    "PDF report of the small run",
                    "exports.simulation_report",
                    "analyst",
                    "{\"run_job_id\":\"" + smallRun + "\"}")),
            submit(
                clients,
                layout,
                new Example(
                    "CSV export of both runs",
                    "exports.dataset",
                    "analyst",
                    "{\"dataset\":\"simulation_runs\",\"format\":\"csv\",\"filters\":{\"ids\":[\""
                        + smallRun
                        + "\",\""
                        + largeRun
                        + "\"]}}")));
    System.out.println();
    List<String> outputLines =
        watch(
            admin,
            outputs,
            List.of("PDF report of the small run", "CSV export of both runs"),
            deadline);
    if (outputLines == null) {
      return 5;
    }
    System.out.println();
    List<String> eventLines = eventAndChores(clients, layout, admin, deadline);
    if (eventLines == null) {
      return 5;
    }
    System.out.println();
    System.out.println("See one with ./kfm status <id>, its history with ./kfm events <id>.");
    System.out.println("Download the report and the export:");
    outputs.forEach(id -> System.out.println("  ./kfm download " + id));
    System.out.println(
        "The warmed tiles: GET /api/v1/tiles/simulation_sites/10/582/296.png (with a token).");
    boolean allSucceeded =
        lines.stream().allMatch(l -> l.contains(" succeeded "))
            && outputLines.stream().allMatch(l -> l.contains(" succeeded "))
            && eventLines.stream().allMatch(l -> l.contains(" succeeded "));
    return allSucceeded ? 0 : 1;
  }

  /**
   * A domain event as a producer publishes it (imagery.arrived: its scene is recorded and the map
   * tiles over it warmed) and a chore as an operator runs it (a dry run of the artifact prune).
   */
  private List<String> eventAndChores(
      Map<String, ApiClient> clients, StackLayout layout, ApiClient admin, long deadline)
      throws InterruptedException {
    ClientOptions asProducer = new ClientOptions();
    asProducer.roles = List.of("producer");
    ApiClient producer = clients.computeIfAbsent("producer", r -> asProducer.client(layout));
    String eventId = "demo-scene-" + System.currentTimeMillis();
    ObjectNode event = Wire.mapper().createObjectNode();
    event.put("specversion", "1.0");
    event.put("id", eventId);
    event.put("source", "urn:kfm:demo:archive");
    event.put("type", "imagery.arrived");
    event.set(
        "data",
        Wire.fromJson(
            "{\"scene_id\":\""
                + eventId
                + "\",\"sensor\":\"sentinel-2b\",\"acquired_at\":\"2026-11-30T10:03:19Z\","
                + "\"footprint\":{\"type\":\"Polygon\",\"coordinates\":[[[24.5,60.0],[25.4,60.0],"
                + "[25.4,60.4],[24.5,60.4],[24.5,60.0]]]},\"bbox\":[24.5,60.0,25.4,60.4]}",
            JsonNode.class));
    producer.post("/api/v1/events", event, Map.of());
    List<String> ids = new ArrayList<>();
    for (String task : List.of("ingest.imagery_scene", "geo.tile_cache_warm")) {
      ids.add(JobIds.forEvent("urn:kfm:demo:archive", eventId, task).toString());
    }
    ids.add(
        submit(
            clients,
            layout,
            new Example(
                "dry run of the artifact prune",
                "maintenance.prune_artifacts",
                "admin",
                "{\"older_than_days\":30,\"dry_run\":true}")));
    // The trigger router makes the event's jobs a moment after the event is accepted.
    for (String id : ids.subList(0, 2)) {
      while (!exists(admin, id)) {
        if (System.currentTimeMillis() > deadline) {
          System.err.println("the event's jobs did not appear before the deadline");
          return null;
        }
        Thread.sleep(200);
      }
    }
    return watch(
        admin,
        ids,
        List.of("event: scene recorded", "event: tiles warmed", "dry run of the artifact prune"),
        deadline);
  }

  private static boolean exists(ApiClient api, String id) {
    try {
      api.get("/api/v1/jobs/" + id);
      return true;
    } catch (RuntimeException notYet) {
      return false;
    }
  }

  private static String submit(
      Map<String, ApiClient> clients, StackLayout layout, Example example) {
    ClientOptions as = new ClientOptions();
    as.roles = List.of(example.role());
    ApiClient api = clients.computeIfAbsent(example.role(), r -> as.client(layout));
    ObjectNode body = Wire.mapper().createObjectNode().put("task", example.task());
    body.set("params", Wire.fromJson(example.params(), JsonNode.class));
    return api.post("/api/v1/jobs", body, Map.of()).path("id").asText();
  }

  /** Redraws the jobs' lines until all have ended; null when the deadline passed first. */
  private List<String> watch(ApiClient admin, List<String> ids, List<String> labels, long deadline)
      throws InterruptedException {
    boolean tty = System.console() != null;
    List<String> lines = render(admin, ids, labels);
    print(lines, false, tty);
    while (!lines.stream().allMatch(DemoCommand::finished)) {
      if (System.currentTimeMillis() > deadline) {
        System.err.println("demo jobs still running after " + timeoutSeconds + " s");
        return null;
      }
      Thread.sleep(500);
      List<String> next = render(admin, ids, labels);
      if (tty || !next.equals(lines)) {
        print(next, tty, tty);
      }
      lines = next;
    }
    return lines;
  }

  private static boolean finished(String line) {
    return List.of(" succeeded ", " failed ", " canceled ", " expired ").stream()
        .anyMatch(line::contains);
  }

  private static List<String> render(ApiClient api, List<String> ids, List<String> labels) {
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < ids.size(); i++) {
      JsonNode job = api.get("/api/v1/jobs/" + ids.get(i));
      double fraction = job.path("progress").path("fraction").asDouble(0);
      lines.add(
          String.format(
              "%-32s %-10s attempt %d  %s  %s",
              labels.get(i),
              job.path("status").asText(),
              job.path("attempt").asInt(),
              Render.bar(fraction, 24),
              job.path("id").asText()));
    }
    return lines;
  }

  private static void print(List<String> lines, boolean rewind, boolean tty) {
    if (rewind) {
      System.out.print("\033[" + lines.size() + "A");
    }
    for (String line : lines) {
      System.out.println(tty ? "\033[2K" + line : line);
    }
    if (!tty) {
      System.out.println();
    }
  }
}
