package org.kfm.tasks.cli.stack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The PostgreSQL server that a data folder's {@code postmaster.pid} names, while it runs. The
 * embedded server outlives a launcher killed with SIGKILL (it is re-parented and keeps its port);
 * this is how the stack finds it again, to adopt or stop it.
 */
public record Postmaster(long pid, int port) {

  /** The live server of {@code dataDir}, if there is one. */
  public static Optional<Postmaster> of(Path dataDir) {
    Path file = dataDir.resolve("postmaster.pid");
    List<String> lines;
    try {
      lines = Files.readAllLines(file);
    } catch (IOException e) {
      return Optional.empty();
    }
    // Line 1 is the server's PID, line 4 its port (PostgreSQL's pidfile.h).
    if (lines.size() < 4) {
      return Optional.empty();
    }
    long pid;
    int port;
    try {
      pid = Long.parseLong(lines.get(0).strip());
      port = Integer.parseInt(lines.get(3).strip());
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
    // A PID in a file left by a crash may belong to another process by now.
    boolean isPostgres =
        ProcessHandle.of(pid)
            .filter(ProcessHandle::isAlive)
            .flatMap(p -> p.info().command())
            .map(command -> Path.of(command).getFileName().toString().equals("postgres"))
            .orElse(false);
    return isPostgres ? Optional.of(new Postmaster(pid, port)) : Optional.empty();
  }

  /** Whether {@code pid} is this kind of server rather than the launcher that runs one. */
  static boolean isServer(Path dataDir, long pid) {
    return of(dataDir).map(p -> p.pid() == pid).orElse(false);
  }

  /**
   * Fast shutdown (SIGINT: clients are disconnected, a checkpoint written), then SIGKILL if it has
   * not exited within {@code grace}. SIGTERM would wait for every client to leave.
   */
  public boolean stop(Duration grace) {
    Optional<ProcessHandle> handle = ProcessHandle.of(pid);
    if (handle.isEmpty()) {
      return false;
    }
    try {
      new ProcessBuilder("kill", "-INT", Long.toString(pid))
          .redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.DISCARD)
          .start()
          .waitFor();
    } catch (IOException e) {
      handle.get().destroy();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
    Instant deadline = Instant.now().plus(grace);
    while (handle.get().isAlive() && Instant.now().isBefore(deadline)) {
      Launcher.sleep(100);
    }
    if (handle.get().isAlive()) {
      handle.get().destroyForcibly();
    }
    return true;
  }
}
