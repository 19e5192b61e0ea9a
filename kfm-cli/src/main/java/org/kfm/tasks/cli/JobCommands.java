package org.kfm.tasks.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.kfm.tasks.cli.client.ApiClient;
import org.kfm.tasks.cli.client.Params;
import org.kfm.tasks.cli.client.Render;
import org.kfm.tasks.contracts.Wire;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** The REST API from the command line. */
final class JobCommands {
  private JobCommands() {}

  /** Exit codes of watch: the job's outcome. */
  static int exitCodeOf(String status) {
    return switch (status) {
      case "succeeded" -> 0;
      case "failed" -> 1;
      case "canceled" -> 3;
      case "expired" -> 4;
      default -> 5;
    };
  }

  abstract static class ClientCommand implements Callable<Integer> {
    @ParentCommand Kfm kfm;
    @Mixin ClientOptions options;

    ApiClient client() {
      return options.client(kfm.layout());
    }

    void print(JsonNode node, Runnable human) {
      if (options.json) {
        Render.json(System.out, node);
      } else {
        human.run();
      }
    }
  }

  @Command(
      name = "tasks",
      mixinStandardHelpOptions = true,
      versionProvider = KfmVersion.class,
      description = "The task catalogue with each task's parameters.")
  static class Tasks extends ClientCommand {
    @Override
    public Integer call() {
      JsonNode tasks = client().get("/api/v1/tasks");
      print(
          tasks,
          () ->
              tasks.forEach(
                  t -> {
                    System.out.printf(
                        "%s (v%d)  class %s, role %s, timeout %ds, %d attempts%n",
                        t.path("name").asText(),
                        t.path("version").asInt(),
                        t.path("queue").asText(),
                        t.path("requiredRole").asText(),
                        t.path("timeoutSeconds").asInt(),
                        t.path("maxAttempts").asInt());
                    System.out.println("  " + t.path("purpose").asText());
                    JsonNode schema = t.path("inputSchema");
                    List<String> required = new ArrayList<>();
                    schema.path("required").forEach(r -> required.add(r.asText()));
                    schema
                        .path("properties")
                        .fields()
                        .forEachRemaining(
                            p ->
                                System.out.printf(
                                    "    --param %s=<%s>%s%s%n",
                                    p.getKey(),
                                    p.getValue().path("type").asText("value"),
                                    required.contains(p.getKey()) ? "  (required)" : "",
                                    p.getValue().hasNonNull("description")
                                        ? "  " + p.getValue().path("description").asText()
                                        : ""));
                    System.out.println();
                  }));
      return 0;
    }
  }

  @Command(
      name = "submit",
      mixinStandardHelpOptions = true,
      versionProvider = KfmVersion.class,
      description = "Submit a job; prints its id.")
  static class Submit extends ClientCommand {
    @Parameters(index = "0", description = "The task, e.g. analysis.run_simulation.")
    String task;

    @Option(
        names = {"-p", "--param"},
        description =
            "A parameter as key=value (dotted keys nest; values are JSON when they parse).")
    List<String> params = new ArrayList<>();

    @Option(names = "--params-file", description = "A JSON file with the params object.")
    Path paramsFile;

    @Option(names = "--run-at", description = "Run at this ISO-8601 instant instead of now.")
    String runAt;

    @Option(
        names = "--key",
        description = "An idempotency key: submitting again with it returns the same job.")
    String key;

    @Option(
        names = "--lineage",
        paramLabel = "JSON",
        description =
            "Where the inputs come from, as a JSON object of the task's lineage fields, e.g."
                + " '{\"pipeline_run_id\":\"r-7\"}'.")
    String lineage;

    @Override
    public Integer call() throws IOException {
      ObjectNode body = Wire.mapper().createObjectNode().put("task", task);
      ObjectNode p = Params.of(params);
      if (paramsFile != null) {
        JsonNode file = Wire.fromJson(Files.readString(paramsFile), JsonNode.class);
        if (!file.isObject()) {
          throw new IllegalArgumentException(paramsFile + " must hold a JSON object");
        }
        ((ObjectNode) file).setAll(p);
        p = (ObjectNode) file;
      }
      body.set("params", p);
      if (runAt != null) {
        body.put("runAt", runAt);
      }
      if (lineage != null) {
        JsonNode declared = Params.value(lineage);
        if (!declared.isObject()) {
          throw new IllegalArgumentException("--lineage must be a JSON object");
        }
        body.set("lineage", declared);
      }
      Map<String, String> headers = key == null ? Map.of() : Map.of("Idempotency-Key", key);
      JsonNode job = client().post("/api/v1/jobs", body, headers);
      print(job, () -> System.out.println(job.path("id").asText()));
      return 0;
    }
  }

  @Command(
      name = "watch",
      mixinStandardHelpOptions = true,
      versionProvider = KfmVersion.class,
      description =
          "Follow a job until it ends; the exit code is its outcome (0 succeeded, 1 failed, 3 canceled, 4 expired).")
  static class Watch extends ClientCommand {
    @Parameters(index = "0", description = "The job id.")
    String id;

    @Option(
        names = "--timeout",
        description = "Give up after this many seconds (default ${DEFAULT-VALUE}).")
    long timeoutSeconds = 3600;

    @Override
    public Integer call() throws InterruptedException {
      ApiClient api = client();
      long deadline = System.currentTimeMillis() + timeoutSeconds * 1000;
      boolean tty = System.console() != null && !options.json;
      JsonNode job = api.get("/api/v1/jobs/" + id);
      String last = "";
      while (!Render.isTerminal(job.path("status").asText())) {
        if (System.currentTimeMillis() > deadline) {
          System.err.println(
              "still " + job.path("status").asText() + " after " + timeoutSeconds + " s");
          return 5;
        }
        String line = Render.line(job) + "  " + job.path("progress").path("message").asText("");
        if (!options.json && !line.equals(last)) {
          System.out.print(tty ? "\r\033[2K" + line : line + "\n");
          System.out.flush();
          last = line;
        }
        Thread.sleep(300);
        job = api.get("/api/v1/jobs/" + id);
      }
      if (tty) {
        System.out.print("\r\033[2K");
      }
      final JsonNode done = job;
      print(done, () -> Render.job(System.out, done));
      return exitCodeOf(done.path("status").asText());
    }
  }

  @Command(
      name = "list",
      mixinStandardHelpOptions = true,
      versionProvider = KfmVersion.class,
      description = "Your jobs, newest first.")
  static class ListJobs extends ClientCommand {
    @Option(names = "--status", description = "Only jobs in this status.")
    String status;

    @Option(names = "--task", description = "Only jobs of this task.")
    String task;

    @Option(names = "--limit", description = "At most this many (default ${DEFAULT-VALUE}).")
    int limit = 20;

    @Override
    public Integer call() {
      Map<String, String> query = new LinkedHashMap<>();
      query.put("status", status);
      query.put("task", task);
      query.put("limit", String.valueOf(limit));
      JsonNode page = client().get("/api/v1/jobs", query);
      print(
          page,
          () -> {
            if (page.path("items").isEmpty()) {
              System.out.println("No jobs.");
            }
            page.path("items").forEach(j -> System.out.println(Render.line(j)));
          });
      return 0;
    }
  }

  @Command(
      name = "cancel",
      mixinStandardHelpOptions = true,
      versionProvider = KfmVersion.class,
      description = "Cancel a job (a running one is asked to stop).")
  static class Cancel extends ClientCommand {
    @Parameters(index = "0", description = "The job id.")
    String id;

    @Override
    public Integer call() {
      JsonNode job = client().post("/api/v1/jobs/" + id + "/cancel", null, Map.of());
      print(
          job,
          () ->
              System.out.println(
                  id
                      + " "
                      + job.path("status").asText()
                      + (job.path("status").asText().equals("running")
                          ? " (stop requested)"
                          : "")));
      return 0;
    }
  }

  @Command(
      name = "retry",
      mixinStandardHelpOptions = true,
      versionProvider = KfmVersion.class,
      description = "Run a failed, canceled or expired job again.")
  static class Retry extends ClientCommand {
    @Parameters(index = "0", description = "The job id.")
    String id;

    @Override
    public Integer call() {
      JsonNode job = client().post("/api/v1/jobs/" + id + "/retry", null, Map.of());
      print(
          job,
          () ->
              System.out.println(
                  id
                      + " "
                      + job.path("status").asText()
                      + " as attempt "
                      + job.path("attempt").asInt()));
      return 0;
    }
  }

  @Command(
      name = "events",
      mixinStandardHelpOptions = true,
      versionProvider = KfmVersion.class,
      description = "A job's history.")
  static class Events extends ClientCommand {
    @Parameters(index = "0", description = "The job id.")
    String id;

    @Override
    public Integer call() {
      JsonNode events = client().get("/api/v1/jobs/" + id + "/events");
      print(
          events,
          () ->
              events.forEach(
                  e ->
                      System.out.printf(
                          "%-30s attempt %d  %-16s %s%n",
                          e.path("at").asText(),
                          e.path("attempt").asInt(),
                          e.path("type").asText(),
                          e.path("data").isMissingNode() || e.path("data").isNull()
                              ? ""
                              : e.path("data").toString())));
      return 0;
    }
  }

  @Command(
      name = "token",
      mixinStandardHelpOptions = true,
      versionProvider = KfmVersion.class,
      description = "Print a local token for a user and roles, e.g. for curl.")
  static class Token implements Callable<Integer> {
    @ParentCommand Kfm kfm;
    @Mixin ClientOptions options;

    @Option(names = "--ttl-minutes", description = "Lifetime (default ${DEFAULT-VALUE}).")
    long ttlMinutes = 60;

    @Override
    public Integer call() {
      System.out.println(options.token(kfm.layout(), Duration.ofMinutes(ttlMinutes)));
      return 0;
    }
  }
}
