package org.kfm.tasks.contracts;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Every task both services know, loaded from the spec files named in {@code tasks/index.txt} on the
 * classpath. Loading fails as a whole if any spec is invalid, so no service starts half-aware.
 */
public final class TaskCatalog {
  /** The retry policy of a task no longer in the catalogue: 30 s apart, jittered. */
  public static final TaskSpec.Retries ORPHAN_RETRIES =
      new TaskSpec.Retries(1, TaskSpec.BackoffKind.FIXED, 30, 30, true);

  public static final String INDEX = "tasks/index.txt";

  private final Map<String, Entry> entries;
  private final Map<TaskSpec.HttpRoute, Entry> byRoute;
  private final DomainEventCatalog events;

  private TaskCatalog(
      Map<String, Entry> entries,
      Map<TaskSpec.HttpRoute, Entry> byRoute,
      DomainEventCatalog events) {
    this.entries = entries;
    this.byRoute = byRoute;
    this.events = events;
  }

  public static TaskCatalog fromClasspath() {
    return fromClasspath(TaskCatalog.class.getClassLoader());
  }

  public static TaskCatalog fromClasspath(ClassLoader loader) {
    Map<String, Entry> entries = new LinkedHashMap<>();
    Map<TaskSpec.HttpRoute, Entry> byRoute = new LinkedHashMap<>();
    for (String file : indexOf(loader)) {
      String resource = "tasks/" + file;
      try (InputStream in = loader.getResourceAsStream(resource)) {
        if (in == null) {
          throw new InvalidTaskSpecException(
              resource, List.of("listed in " + INDEX + " but missing"));
        }
        TaskSpec spec = TaskSpecLoader.load(resource, in);
        if (entries.containsKey(spec.name())) {
          throw new InvalidTaskSpecException(
              resource, List.of("duplicate task name " + spec.name()));
        }
        Entry entry = new Entry(spec, new ParamsValidator(spec.inputSchema()));
        for (TaskSpec.HttpRoute route : spec.httpRoutes()) {
          Entry claimed = byRoute.putIfAbsent(route, entry);
          if (claimed != null) {
            throw new InvalidTaskSpecException(
                resource,
                List.of(
                    "triggered_by route "
                        + route
                        + " is already the route of task "
                        + claimed.spec().name()
                        + "; one route enqueues one task"));
          }
        }
        entries.put(spec.name(), entry);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    DomainEventCatalog events = DomainEventCatalog.fromClasspath(loader);
    for (Entry entry : entries.values()) {
      List<String> problems = triggerProblems(entry, events);
      if (!problems.isEmpty()) {
        throw new InvalidTaskSpecException("tasks/" + entry.spec().name(), problems);
      }
    }
    return new TaskCatalog(entries, byRoute, events);
  }

  /**
   * Each event type that triggers the task must be known, and its mapping must turn the type's
   * example into params the task accepts: a mapping that cannot produce valid params stops both
   * services at start rather than parking every event later.
   */
  private static List<String> triggerProblems(Entry entry, DomainEventCatalog events) {
    List<String> problems = new java.util.ArrayList<>();
    TaskSpec spec = entry.spec();
    for (String type : spec.eventTypes()) {
      var known = events.find(type);
      if (known.isEmpty()) {
        problems.add(
            "triggered by unknown event type "
                + type
                + " (not in "
                + DomainEventCatalog.INDEX
                + ")");
        continue;
      }
      Map<String, com.fasterxml.jackson.databind.JsonNode> mapping =
          spec.eventParams().getOrDefault(type, Map.of());
      var params = EventParams.map(mapping, known.get().type().example());
      for (FieldError error : entry.validator().validate(params)) {
        problems.add(
            "event_params."
                + type
                + " makes params the input schema refuses from the type's example: "
                + error.field()
                + " "
                + error.message());
      }
    }
    for (String type : spec.eventParams().keySet()) {
      if (!spec.eventTypes().contains(type)) {
        problems.add("event_params names " + type + ", which does not trigger this task");
      }
    }
    return problems;
  }

  public DomainEventCatalog events() {
    return events;
  }

  /** The tasks an event of this type enqueues, in catalogue order. */
  public List<Entry> triggeredBy(String eventType) {
    return entries.values().stream()
        .filter(e -> e.spec().eventTypes().contains(eventType))
        .toList();
  }

  private static List<String> indexOf(ClassLoader loader) {
    try (InputStream in = loader.getResourceAsStream(INDEX)) {
      if (in == null) {
        throw new IllegalStateException("no " + INDEX + " on the classpath");
      }
      return new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))
          .lines()
          .map(String::strip)
          .filter(line -> !line.isEmpty() && !line.startsWith("#"))
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public Optional<Entry> find(String name) {
    return Optional.ofNullable(entries.get(name));
  }

  /**
   * The retry policy of a task. A job may outlive its task's spec (a deploy removed it while jobs
   * of it were still running); its attempts then end by the job's own {@code max_attempts}, retried
   * after {@link #ORPHAN_RETRIES}' fixed backoff, rather than stalling whoever decides what
   * follows.
   */
  public TaskSpec.Retries retriesOf(String task) {
    Entry entry = entries.get(task);
    return entry == null ? ORPHAN_RETRIES : entry.spec().retries();
  }

  /** The task a {@code triggered_by} HTTP route enqueues, e.g. {@code POST /api/simulation/run}. */
  public Optional<Entry> findByRoute(TaskSpec.HttpRoute route) {
    return Optional.ofNullable(byRoute.get(route));
  }

  public Collection<Entry> all() {
    return entries.values();
  }

  /** A spec with its compiled input schema. */
  public record Entry(TaskSpec spec, ParamsValidator validator) {}
}
