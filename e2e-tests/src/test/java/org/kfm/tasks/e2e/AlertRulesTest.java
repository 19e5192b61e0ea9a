package org.kfm.tasks.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The Prometheus alert rules of deploy/observability, checked offline with promtool: the rules
 * parse, and each alert fires (or stays quiet) on the series of its fixture in kfm-alerts.test.yml.
 * Skipped where promtool is not installed.
 */
class AlertRulesTest {
  /** Tests run from the e2e-tests folder; the repository is its parent. */
  private static final Path RULES =
      Path.of("").toAbsolutePath().getParent().resolve("deploy/observability/prometheus");

  private static final long TIMEOUT_SECONDS = 60;

  @Test
  void rulesAreValid() throws Exception {
    Result result = promtool("check", "rules", "kfm-alerts.yml");

    assertThat(result.exitCode()).as("%s", result).isZero();
    assertThat(result.stdout()).as("%s", result).contains("SUCCESS: 6 rules found");
  }

  @Test
  void everyAlertPassesItsFixture() throws Exception {
    Result result = promtool("test", "rules", "kfm-alerts.test.yml");

    assertThat(result.exitCode()).as("%s", result).isZero();
  }

  @Test
  void everyAlertHasAFixtureAndARunbookSection() throws Exception {
    String rules = Files.readString(RULES.resolve("kfm-alerts.yml"));
    String fixtures = Files.readString(RULES.resolve("kfm-alerts.test.yml"));
    String runbook =
        Files.readString(RULES.getParent().getParent().getParent().resolve("docs/operations.md"));
    List<String> alerts =
        rules
            .lines()
            .map(String::strip)
            .filter(l -> l.startsWith("- alert: "))
            .map(l -> l.substring(9))
            .toList();

    assertThat(alerts).hasSize(6);
    for (String alert : alerts) {
      assertThat(fixtures).as("fixture of %s", alert).contains("alertname: " + alert);
      assertThat(rules)
          .as("runbook link of %s", alert)
          .contains("docs/operations.md#alert-" + alert.toLowerCase());
      assertThat(runbook).as("runbook section of %s", alert).contains("## Alert " + alert);
    }
  }

  /** Runs promtool in the rules folder with a bounded wait; skips if it is not installed. */
  private static Result promtool(String... args) throws IOException, InterruptedException {
    if (!onPath("promtool")) {
      Assumptions.assumeTrue(false, "promtool not installed; .ci/run installs it");
    }
    List<String> command = new ArrayList<>();
    command.add("promtool");
    command.addAll(List.of(args));
    // Output goes to files, so a chatty process can never block on a full pipe.
    Path stdout = Files.createTempFile("promtool-", ".out");
    Path stderr = Files.createTempFile("promtool-", ".err");
    try {
      ProcessBuilder builder = new ProcessBuilder(command).directory(RULES.toFile());
      builder.redirectOutput(stdout.toFile());
      builder.redirectError(stderr.toFile());
      Process process = builder.start();
      process.getOutputStream().close();
      boolean finished = process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS);
      if (!finished) {
        process.destroyForcibly().waitFor();
      }
      int exitCode = finished ? process.exitValue() : -1;
      return new Result(String.join(" ", command), exitCode, read(stdout), read(stderr));
    } finally {
      Files.deleteIfExists(stdout);
      Files.deleteIfExists(stderr);
    }
  }

  private static String read(Path file) throws IOException {
    return Files.readString(file, StandardCharsets.UTF_8);
  }

  private static boolean onPath(String program) {
    String path = System.getenv("PATH");
    if (path == null) {
      return false;
    }
    for (String dir : path.split(File.pathSeparator)) {
      if (Files.isExecutable(Path.of(dir, program))) {
        return true;
      }
    }
    return false;
  }

  private record Result(String command, int exitCode, String stdout, String stderr) {}
}
