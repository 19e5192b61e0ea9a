package org.kfm.tasks.cli.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Memory and CPU of a local process, read from /proc. */
final class Processes {
  /** Linux reports CPU time in clock ticks; 100 per second on every mainstream kernel config. */
  private static final double TICKS_PER_SECOND = 100.0;

  private Processes() {}

  /** Peak resident set size (VmHWM) in MB, or NaN if unknown. */
  static boolean isAlive(long pid) {
    return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
  }

  static double peakRssMb(long pid) {
    return statusKb(pid, "VmHWM:") / 1024.0;
  }

  static double rssMb(long pid) {
    return statusKb(pid, "VmRSS:") / 1024.0;
  }

  private static double statusKb(long pid, String field) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status"))) {
        if (line.startsWith(field)) {
          return Double.parseDouble(line.substring(field.length()).trim().split("\\s+")[0]);
        }
      }
    } catch (IOException | NumberFormatException e) {
      return Double.NaN;
    }
    return Double.NaN;
  }

  /**
   * CPU seconds of a process and its live children (PostgreSQL's backends are children of the
   * postmaster that live as long as their connection, so they are never reaped during a run).
   */
  static double cpuSecondsWithChildren(long pid) {
    double total = cpuSeconds(pid);
    try (var entries = Files.list(Path.of("/proc"))) {
      for (Path entry :
          entries
              .filter(p -> p.getFileName().toString().chars().allMatch(Character::isDigit))
              .toList()) {
        try {
          String stat = Files.readString(entry.resolve("stat"));
          long parent = Long.parseLong(stat.substring(stat.lastIndexOf(')') + 2).split(" ")[1]);
          if (parent == pid) {
            total += cpuSeconds(Long.parseLong(entry.getFileName().toString()));
          }
        } catch (IOException | RuntimeException e) {
          // The process ended while we looked.
        }
      }
    } catch (IOException e) {
      return total;
    }
    return total;
  }

  /** User plus system CPU seconds the process (and its reaped children) used so far. */
  static double cpuSeconds(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc", String.valueOf(pid), "stat"));
      // Fields after the command name, which is in parentheses and may hold spaces.
      List<String> fields = List.of(stat.substring(stat.lastIndexOf(')') + 2).split(" "));
      double ticks =
          Long.parseLong(fields.get(11))
              + Long.parseLong(fields.get(12))
              + Long.parseLong(fields.get(13))
              + Long.parseLong(fields.get(14));
      return ticks / TICKS_PER_SECOND;
    } catch (IOException | RuntimeException e) {
      return Double.NaN;
    }
  }
}
