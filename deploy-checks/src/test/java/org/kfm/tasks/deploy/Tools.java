package org.kfm.tasks.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/** External programs the checks run, with bounded waits and their output kept for the report. */
final class Tools {
  /** Set by the ci profile: a missing tool fails the build there instead of skipping checks. */
  private static final boolean REQUIRED =
      Boolean.getBoolean("kfm.deploy.checks.require-tools") || System.getenv("CI") != null;

  private Tools() {}

  /** Skips the calling test on a machine without the program; fails it where tools are owed. */
  static void require(String program) {
    if (onPath(program)) {
      return;
    }
    String reason = program + " is not installed (.ci/run installs it with apt-get)";
    if (REQUIRED) {
      fail(reason);
    }
    Assumptions.assumeTrue(false, reason);
  }

  static Result run(Path workDir, Duration timeout, List<String> command) {
    try {
      Path out = Files.createTempFile("kfm-tool-", ".out");
      try {
        Process process =
            new ProcessBuilder(command)
                .directory(workDir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(out.toFile())
                .start();
        process.getOutputStream().close();
        boolean finished = process.waitFor(timeout.toSeconds(), TimeUnit.SECONDS);
        if (!finished) {
          process.destroyForcibly().waitFor();
        }
        Result result =
            new Result(
                String.join(" ", command),
                finished ? process.exitValue() : -1,
                Files.readString(out, StandardCharsets.UTF_8));
        assertThat(finished).as("finished within %s: %s", timeout, result).isTrue();
        return result;
      } finally {
        Files.deleteIfExists(out);
      }
    } catch (IOException e) {
      throw new IllegalStateException(String.join(" ", command), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static boolean onPath(String program) {
    String path = System.getenv("PATH");
    if (path == null) {
      return false;
    }
    for (String dir : path.split(File.pathSeparator)) {
      if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, program))) {
        return true;
      }
    }
    return false;
  }

  record Result(String commandLine, int exitCode, String output) {
    @Override
    public String toString() {
      return String.format("%s exited with %d:%n%s", commandLine, exitCode, output);
    }
  }
}
