package org.kfm.tasks.worker.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.kfm.tasks.contracts.ConcurrencyClass;
import org.kfm.tasks.contracts.TaskCatalog;
import org.kfm.tasks.contracts.TaskContext;
import org.kfm.tasks.contracts.TaskHandler;

class HandlerRegistryTest {
  private final TaskCatalog catalog = TaskCatalog.fromClasspath();

  private static TaskHandler handlerFor(String task) {
    return new TaskHandler() {
      @Override
      public String task() {
        return task;
      }

      @Override
      public JsonNode run(TaskContext context) {
        return null;
      }
    };
  }

  @Test
  void aServedTaskWithoutAHandlerIsAProblem() {
    // Every other task has one, so the test holds whatever tasks the catalogue gains.
    List<TaskHandler> allButOne =
        catalog.all().stream()
            .map(entry -> entry.spec().name())
            .filter(name -> !name.equals("analysis.run_simulation"))
            .map(HandlerRegistryTest::handlerFor)
            .toList();
    var problems =
        HandlerRegistry.problems(
            catalog,
            allButOne,
            Set.of(ConcurrencyClass.CPU_HEAVY, ConcurrencyClass.LATENCY_SENSITIVE));
    assertThat(problems).containsExactly("task analysis.run_simulation (cpu-heavy) has no handler");
  }

  @Test
  void aTaskOfAnUnservedClassNeedsNoHandlerHere() {
    assertThat(
            HandlerRegistry.problems(
                catalog,
                List.of(handlerFor("system.noop")),
                Set.of(ConcurrencyClass.LATENCY_SENSITIVE)))
        .isEmpty();
  }

  @Test
  void aHandlerWithoutASpecOrTwoHandlersForOneTaskAreProblems() {
    var problems =
        HandlerRegistry.problems(
            catalog,
            List.of(handlerFor("system.noop"), handlerFor("system.noop"), handlerFor("ghost.task")),
            Set.of(ConcurrencyClass.LATENCY_SENSITIVE));
    assertThat(problems)
        .contains(
            "2 handlers claim task system.noop",
            "handler for ghost.task has no spec in the catalogue");
  }

  @Test
  void servingNothingOrAnUnknownClassIsRefused() {
    assertThatThrownBy(() -> HandlerRegistry.servedClasses(Map.of("cpu-heavy", false)))
        .hasMessageContaining("serves no concurrency class");
    assertThatThrownBy(() -> HandlerRegistry.servedClasses(Map.of("gpu", true)))
        .hasMessageContaining("unknown class gpu");
  }
}
