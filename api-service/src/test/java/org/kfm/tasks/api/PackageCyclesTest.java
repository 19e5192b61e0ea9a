package org.kfm.tasks.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The api's feature packages depend on each other in one direction only. */
class PackageCyclesTest {
  private static final Path SOURCES = Path.of("src/main/java/org/kfm/tasks/api");
  private static final Pattern IMPORT =
      Pattern.compile("import (?:static )?org\\.kfm\\.tasks\\.api\\.(\\w+)\\.");

  @Test
  void noPackageReachesBackToItself() throws IOException {
    Map<String, Set<String>> uses = dependencies();
    assertThat(uses)
        .containsKeys("job", "dispatch", "projection", "store", "watchdog", "retention");

    List<String> cycles = new ArrayList<>();
    for (String start : uses.keySet()) {
      if (reaches(uses, start, start, new HashSet<>())) {
        cycles.add(start);
      }
    }
    assertThat(cycles).as("packages on a cycle, given %s", uses).isEmpty();
  }

  @Test
  void theStoreDependsOnNoFeature() throws IOException {
    assertThat(dependencies().get("store")).isEmpty();
  }

  private static boolean reaches(
      Map<String, Set<String>> uses, String from, String target, Set<String> seen) {
    for (String next : uses.getOrDefault(from, Set.of())) {
      if (next.equals(target) || (seen.add(next) && reaches(uses, next, target, seen))) {
        return true;
      }
    }
    return false;
  }

  private static Map<String, Set<String>> dependencies() throws IOException {
    Map<String, Set<String>> uses = new TreeMap<>();
    try (Stream<Path> files = Files.walk(SOURCES)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
        Path relative = SOURCES.relativize(file);
        if (relative.getNameCount() < 2) {
          continue;
        }
        String pkg = relative.getName(0).toString();
        Set<String> targets = uses.computeIfAbsent(pkg, p -> new TreeSet<>());
        Matcher m = IMPORT.matcher(Files.readString(file));
        while (m.find()) {
          if (!m.group(1).equals(pkg)) {
            targets.add(m.group(1));
          }
        }
      }
    }
    return uses;
  }
}
