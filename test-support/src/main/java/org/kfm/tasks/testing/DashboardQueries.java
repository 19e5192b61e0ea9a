package org.kfm.tasks.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The metric names the Grafana dashboards of deploy/observability query, by the scrape job their
 * selector names ({@code job="kfm-api"} or {@code job="kfm-worker"}), and the names a Prometheus
 * scrape exposes: a service test checks the first are among the second.
 */
public final class DashboardQueries {
  private static final Pattern SELECTOR =
      Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)\\{([^}]*)\\}");
  private static final Pattern JOB = Pattern.compile("job\\s*=\\s*\"([^\"]+)\"");

  private DashboardQueries() {}

  /** The dashboards folder, found from the working directory (a module of the repository). */
  public static Path dashboards() {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      Path candidate = dir.resolve("deploy/observability/grafana");
      if (Files.isDirectory(candidate)) {
        return candidate;
      }
    }
    throw new IllegalStateException("deploy/observability/grafana not found above the module");
  }

  /** Every query expression of every panel of every dashboard (rows' nested panels included). */
  public static List<String> expressions() {
    List<String> expressions = new ArrayList<>();
    try (Stream<Path> files = Files.list(dashboards())) {
      for (Path file : files.filter(f -> f.toString().endsWith(".json")).toList()) {
        collect(new ObjectMapper().readTree(file.toFile()).path("panels"), expressions);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return expressions;
  }

  private static void collect(JsonNode panels, List<String> expressions) {
    for (JsonNode panel : panels) {
      panel.path("targets").forEach(t -> expressions.add(t.path("expr").asText()));
      collect(panel.path("panels"), expressions);
    }
  }

  /**
   * The metric names the expressions select from the given scrape job. A selector that names no job
   * is an error: it could not be checked against either service.
   */
  public static Set<String> metricsOf(String job) {
    Set<String> names = new TreeSet<>();
    for (String expression : expressions()) {
      Matcher selector = SELECTOR.matcher(expression);
      while (selector.find()) {
        Matcher named = JOB.matcher(selector.group(2));
        if (!named.find()) {
          throw new IllegalStateException("a selector without a job label: " + selector.group());
        }
        if (named.group(1).equals(job)) {
          names.add(selector.group(1));
        }
      }
    }
    return names;
  }

  /** The metric names of a Prometheus text exposition. */
  public static Set<String> exposed(String scrape) {
    Set<String> names = new TreeSet<>();
    scrape
        .lines()
        .filter(line -> !line.isBlank() && !line.startsWith("#"))
        .forEach(line -> names.add(line.split("[{ ]", 2)[0]));
    return names;
  }
}
