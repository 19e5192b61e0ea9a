package org.kfm.tasks.worker.run;

import io.quarkus.runtime.Startup;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;
import org.kfm.tasks.contracts.ConcurrencyClass;
import org.kfm.tasks.contracts.TaskCatalog;
import org.kfm.tasks.contracts.TaskHandler;

/**
 * Every handler bean by the task it names. The worker refuses to start when a served task has no
 * handler or a handler has no spec: a half-deployed task would otherwise fail only at run time.
 */
@Singleton
@Startup
public class HandlerRegistry {
  private static final Logger LOG = Logger.getLogger(HandlerRegistry.class);

  private final Map<String, TaskHandler> handlers;
  private final Set<ConcurrencyClass> served;

  public HandlerRegistry(TaskCatalog catalog, Instance<TaskHandler> beans, WorkerConfig config) {
    this.served = servedClasses(config.serve());
    List<TaskHandler> all = beans.stream().toList();
    List<String> problems = problems(catalog, all, served);
    if (!problems.isEmpty()) {
      throw new IllegalStateException("worker cannot start: " + String.join("; ", problems));
    }
    this.handlers = new HashMap<>();
    all.forEach(h -> handlers.put(h.task(), h));
    LOG.infof("serving %s with handlers for %s", served, handlers.keySet());
  }

  static Set<ConcurrencyClass> servedClasses(Map<String, Boolean> serve) {
    Set<ConcurrencyClass> served =
        serve.entrySet().stream()
            .filter(Map.Entry::getValue)
            .map(
                e ->
                    ConcurrencyClass.fromWireName(e.getKey())
                        .orElseThrow(
                            () ->
                                new IllegalStateException(
                                    "kfm.worker.serve names unknown class " + e.getKey())))
            .collect(Collectors.toUnmodifiableSet());
    if (served.isEmpty()) {
      throw new IllegalStateException(
          "worker serves no concurrency class; set kfm.worker.serve.<class>=true");
    }
    return served;
  }

  /** Everything that stops a worker with these handlers from serving these classes. */
  static List<String> problems(
      TaskCatalog catalog, List<TaskHandler> handlers, Set<ConcurrencyClass> served) {
    List<String> problems = new ArrayList<>();
    Map<String, Long> perTask =
        handlers.stream().collect(Collectors.groupingBy(TaskHandler::task, Collectors.counting()));
    perTask.forEach(
        (task, count) -> {
          if (count > 1) {
            problems.add(count + " handlers claim task " + task);
          }
          if (catalog.find(task).isEmpty()) {
            problems.add("handler for " + task + " has no spec in the catalogue");
          }
        });
    for (TaskCatalog.Entry entry : catalog.all()) {
      if (served.contains(entry.spec().concurrencyClass())
          && !perTask.containsKey(entry.spec().name())) {
        problems.add(
            "task " + entry.spec().name() + " (" + entry.spec().queue() + ") has no handler");
      }
    }
    return problems;
  }

  public Optional<TaskHandler> handlerFor(String task) {
    return Optional.ofNullable(handlers.get(task));
  }

  public Set<ConcurrencyClass> served() {
    return served;
  }
}
