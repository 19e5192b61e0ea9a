package org.kfm.tasks.deploy;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A service's application.properties (the default profile), with its ${NAME:default} expressions
 * resolved against the environment a Deployment gives the container.
 */
final class AppConfig {
  private static final Pattern CHANNEL_TOPIC =
      Pattern.compile("mp\\.messaging\\.(incoming|outgoing)\\.([^.]+)\\.topic");

  private final Properties properties = new Properties();

  private AppConfig(Path file) {
    try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      properties.load(reader);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static AppConfig api() {
    return new AppConfig(Repo.API_PROPERTIES);
  }

  static AppConfig worker() {
    return new AppConfig(Repo.WORKER_PROPERTIES);
  }

  String raw(String key) {
    return properties.getProperty(key);
  }

  /**
   * The value the service sees with this environment, Quarkus's default when unset. An environment
   * variable named after the key (QUARKUS_SHUTDOWN_TIMEOUT) wins over the file.
   */
  String effective(String key, Map<String, String> env, String quarkusDefault) {
    String fromEnv = env.get(key.toUpperCase().replaceAll("[^A-Z0-9]", "_"));
    if (fromEnv != null) {
      return resolve(fromEnv, env);
    }
    String value = properties.getProperty(key);
    return value == null ? quarkusDefault : resolve(value, env);
  }

  int httpPort(Map<String, String> env) {
    return Integer.parseInt(effective("quarkus.http.port", env, "8080"));
  }

  /** A SmallRye Health path: /{non-application root}/{health root}/{check}. */
  String healthPath(String check, Map<String, String> env) {
    String checkPath =
        switch (check) {
          case "live" -> effective("quarkus.smallrye-health.liveness-path", env, "live");
          case "ready" -> effective("quarkus.smallrye-health.readiness-path", env, "ready");
          case "started" -> effective("quarkus.smallrye-health.startup-path", env, "started");
          default -> throw new IllegalArgumentException(check);
        };
    return nonApplicationRoot(env)
        + "/"
        + effective("quarkus.smallrye-health.root-path", env, "health")
        + "/"
        + checkPath;
  }

  String metricsPath(Map<String, String> env) {
    return nonApplicationRoot(env)
        + "/"
        + effective("quarkus.micrometer.export.prometheus.path", env, "metrics");
  }

  private String nonApplicationRoot(Map<String, String> env) {
    String root = effective("quarkus.http.non-application-root-path", env, "q");
    return "/" + root.replaceAll("^/+|/+$", "");
  }

  /**
   * Every literal topic of a channel, and of any kfm.* setting that names a topic; pattern channels
   * (their topic is a regex) are left out.
   */
  Set<String> configuredTopics() {
    Set<String> topics = new TreeSet<>();
    for (String key : properties.stringPropertyNames()) {
      if (key.startsWith("kfm.") && key.contains("topic")) {
        String topic = effective(key, Map.of(), "");
        if (!topic.isEmpty()) {
          topics.add(topic);
        }
      }
      Matcher matcher = CHANNEL_TOPIC.matcher(key);
      if (matcher.matches()) {
        String channel = matcher.group(1) + "." + matcher.group(2);
        if (!"true".equals(properties.getProperty("mp.messaging." + channel + ".pattern"))) {
          topics.add(properties.getProperty(key));
        }
      }
    }
    return topics;
  }

  /** Topic regexes of pattern channels. */
  Set<String> channelTopicPatterns() {
    Set<String> patterns = new TreeSet<>();
    for (String key : properties.stringPropertyNames()) {
      Matcher matcher = CHANNEL_TOPIC.matcher(key);
      if (matcher.matches()) {
        String channel = matcher.group(1) + "." + matcher.group(2);
        if ("true".equals(properties.getProperty("mp.messaging." + channel + ".pattern"))) {
          patterns.add(properties.getProperty(key));
        }
      }
    }
    return patterns;
  }

  /** Expands ${NAME} and ${NAME:default}, innermost first, from env, then from these keys. */
  private String resolve(String value, Map<String, String> env) {
    String current = value;
    for (int round = 0; round < 10 && current.contains("${"); round++) {
      int start = current.lastIndexOf("${");
      int end = current.indexOf('}', start);
      String expression = current.substring(start + 2, end);
      int colon = expression.indexOf(':');
      String name = colon < 0 ? expression : expression.substring(0, colon);
      String fallback = colon < 0 ? "" : expression.substring(colon + 1);
      String replacement =
          env.containsKey(name)
              ? env.get(name)
              : properties.containsKey(name) ? properties.getProperty(name) : fallback;
      current = current.substring(0, start) + replacement + current.substring(end + 1);
    }
    return current;
  }
}
