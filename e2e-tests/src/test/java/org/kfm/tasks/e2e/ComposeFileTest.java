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
 * The Docker Compose deployment, checked offline: {@code docker-compose config} parses and
 * validates deploy/compose/docker-compose.yml without a Docker engine. Skipped where the
 * docker-compose binary is not installed.
 */
class ComposeFileTest {
  /** Tests run from the e2e-tests folder; the repository is its parent. */
  private static final Path REPO = Path.of("").toAbsolutePath().getParent();

  private static final Path COMPOSE_FILE = REPO.resolve("deploy/compose/docker-compose.yml");
  private static final long TIMEOUT_SECONDS = 30;
  private static final List<String> REQUIRED_SERVICES =
      List.of(
          "kafka",
          "postgres",
          "api-service",
          "worker-cpu-heavy",
          "worker-io-heavy",
          "worker-latency-sensitive",
          "prometheus",
          "grafana",
          "jaeger");

  @Test
  void composeFileIsValid() throws Exception {
    Result result = dockerCompose("config", "-q");

    assertThat(result.exitCode()).as("%s", result).isZero();
  }

  @Test
  void composeFileDefinesEveryService() throws Exception {
    Result result = dockerCompose("config", "--services");
    assertThat(result.exitCode()).as("%s", result).isZero();

    List<String> services = result.stdout().lines().map(String::strip).toList();
    assertThat(services).as("services of %s", COMPOSE_FILE).containsAll(REQUIRED_SERVICES);
  }

  /** Runs docker-compose on the compose file with a bounded wait; skips if it is not installed. */
  private static Result dockerCompose(String... args) throws IOException, InterruptedException {
    if (!onPath("docker-compose")) {
      Assumptions.assumeTrue(false, "docker-compose not installed; .ci/run installs it");
    }
    List<String> command = new ArrayList<>();
    command.add("docker-compose");
    command.add("-f");
    command.add(COMPOSE_FILE.toString());
    command.addAll(List.of(args));

    // Output goes to files, so a chatty process can never block on a full pipe.
    Path stdout = Files.createTempFile("compose-", ".out");
    Path stderr = Files.createTempFile("compose-", ".err");
    try {
      ProcessBuilder builder = new ProcessBuilder(command);
      builder.redirectOutput(stdout.toFile());
      builder.redirectError(stderr.toFile());
      Process process = builder.start();
      process.getOutputStream().close();
      boolean finished = process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS);
      if (!finished) {
        process.destroyForcibly().waitFor();
      }
      int exitCode = finished ? process.exitValue() : -1;
      Result result = new Result(String.join(" ", command), exitCode, read(stdout), read(stderr));
      assertThat(finished).as("finished within %d s: %s", TIMEOUT_SECONDS, result).isTrue();
      return result;
    } finally {
      Files.deleteIfExists(stdout);
      Files.deleteIfExists(stderr);
    }
  }

  private static boolean onPath(String binary) {
    String path = System.getenv("PATH");
    if (path == null) {
      return false;
    }
    for (String dir : path.split(File.pathSeparator)) {
      if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, binary))) {
        return true;
      }
    }
    return false;
  }

  private static String read(Path file) throws IOException {
    return new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
  }

  /** One docker-compose run; its text is the failure message of the assertions above. */
  private record Result(String commandLine, int exitCode, String stdout, String stderr) {
    @Override
    public String toString() {
      return String.format(
          "%s exited with %d%nstdout:%n%s%nstderr:%n%s", commandLine, exitCode, stdout, stderr);
    }
  }
}
