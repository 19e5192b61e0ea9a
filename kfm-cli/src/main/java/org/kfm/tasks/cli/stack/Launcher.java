package org.kfm.tasks.cli.stack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Starts the parts of the local stack as detached processes (their own session, so they outlive
 * this command and ignore its Ctrl-C), records their PIDs, and stops exactly those PIDs.
 */
public final class Launcher {
  private final StackLayout layout;

  public Launcher(StackLayout layout) {
    this.layout = layout;
  }

  public long start(String part, List<String> command, Map<String, String> env) {
    try {
      Files.createDirectories(layout.logs());
      Files.createDirectories(layout.run());
      List<String> detached = new ArrayList<>();
      detached.add("setsid");
      detached.addAll(command);
      ProcessBuilder builder =
          new ProcessBuilder(detached)
              .directory(layout.state().toFile())
              .redirectErrorStream(true)
              .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
              .redirectOutput(ProcessBuilder.Redirect.appendTo(layout.logFile(part).toFile()));
      // glibc gives each thread that allocates its own 64 MB arena; JVMs gain nothing from that
      // but resident memory.
      builder.environment().putIfAbsent("MALLOC_ARENA_MAX", "2");
      builder.environment().putAll(env);
      Process process = builder.start();
      Files.writeString(layout.pidFile(part), Long.toString(process.pid()));
      return process.pid();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Records a process this launcher did not start as a part (an adopted server). */
  public void adopt(String part, long pid) {
    try {
      Files.createDirectories(layout.run());
      Files.writeString(layout.pidFile(part), Long.toString(pid));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The live process recorded for a part, if any. */
  public Optional<ProcessHandle> running(String part) {
    Path pidFile = layout.pidFile(part);
    if (!Files.exists(pidFile)) {
      return Optional.empty();
    }
    try {
      long pid = Long.parseLong(Files.readString(pidFile).strip());
      return ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
    } catch (IOException | NumberFormatException e) {
      return Optional.empty();
    }
  }

  /** SIGTERM, then SIGKILL after {@code grace}; removes the PID file. True if it was running. */
  public boolean stop(String part, Duration grace) {
    Optional<ProcessHandle> handle = running(part);
    handle.ifPresent(
        process -> {
          process.destroy();
          Instant deadline = Instant.now().plus(grace);
          while (process.isAlive() && Instant.now().isBefore(deadline)) {
            sleep(100);
          }
          if (process.isAlive()) {
            process.destroyForcibly();
            Instant killDeadline = Instant.now().plusSeconds(10);
            while (process.isAlive() && Instant.now().isBefore(killDeadline)) {
              sleep(100);
            }
          }
        });
    try {
      Files.deleteIfExists(layout.pidFile(part));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return handle.isPresent();
  }

  static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
