package org.kfm.tasks.contracts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TaskCatalogTest {
  @TempDir Path dir;

  private static String spec(String name, String triggeredBy) {
    return """
        name: %s
        version: 1
        purpose: Echo
        owner: demo-team
        triggered_by: %s
        queue: io-heavy
        concurrency_limit: 4
        retries: { max_attempts: 3, backoff: fixed, initial_delay_seconds: 1, max_delay_seconds: 10, jitter: false }
        timeout_seconds: 30
        ttl_seconds: 600
        input_schema: { type: object }
        security: { required_role: user }
        """
        .formatted(name, triggeredBy);
  }

  private TaskCatalog catalogOf(String first, String second) throws IOException {
    Path events = Files.createDirectories(dir.resolve("events"));
    Files.writeString(events.resolve("index.txt"), "shared.event.yaml\n");
    Files.writeString(
        events.resolve("shared.event.yaml"),
        """
        type: shared.event
        description: an event two demo tasks listen to
        data_schema: { type: object, required: [n], properties: { n: { type: integer } } }
        example: { n: 7 }
        """);
    Path tasks = Files.createDirectories(dir.resolve("tasks"));
    Files.writeString(tasks.resolve("index.txt"), "first.yaml\nsecond.yaml\n");
    Files.writeString(tasks.resolve("first.yaml"), first);
    Files.writeString(tasks.resolve("second.yaml"), second);
    try (URLClassLoader loader = new URLClassLoader(new URL[] {dir.toUri().toURL()}, null)) {
      return TaskCatalog.fromClasspath(loader);
    }
  }

  @Test
  void tasksWithTheirOwnRoutesLoadAndAreFoundByRoute() throws IOException {
    TaskCatalog catalog =
        catalogOf(
            spec("demo.first", "[POST /api/demo/first, shared.event]"),
            spec("demo.second", "[POST /api/demo/second, shared.event]"));
    assertThat(catalog.findByRoute(new TaskSpec.HttpRoute("post", "/api/demo/second")))
        .hasValueSatisfying(e -> assertThat(e.spec().name()).isEqualTo("demo.second"));
    assertThat(catalog.findByRoute(new TaskSpec.HttpRoute("POST", "/api/demo/third"))).isEmpty();
  }

  @Test
  void anEventTriggersEveryTaskThatNamesIt() throws IOException {
    TaskCatalog catalog =
        catalogOf(
            spec("demo.first", "[shared.event]"), spec("demo.second", "[POST /api/demo/second]"));
    assertThat(catalog.triggeredBy("shared.event"))
        .extracting(e -> e.spec().name())
        .containsExactly("demo.first");
    assertThat(catalog.events().find("shared.event")).isPresent();
  }

  @Test
  void aTriggerWhoseMappingCannotMakeValidParamsStopsTheLoad() {
    String strict =
        spec("demo.first", "[shared.event]")
            .replace(
                "input_schema: { type: object }",
                "input_schema: { type: object, required: [count], properties: { count: { type: string } } }\n"
                    + "event_params: { shared.event: { count: /n } }");
    assertThatThrownBy(() -> catalogOf(strict, spec("demo.second", "[POST /api/demo/second]")))
        .isInstanceOf(InvalidTaskSpecException.class)
        .hasMessageContaining("event_params.shared.event")
        .hasMessageContaining("/params/count");
  }

  @Test
  void aTriggerByAnUnknownEventTypeStopsTheLoad() {
    assertThatThrownBy(
            () ->
                catalogOf(
                    spec("demo.first", "[nobody.sends_this]"),
                    spec("demo.second", "[POST /api/demo/second]")))
        .isInstanceOf(InvalidTaskSpecException.class)
        .hasMessageContaining("unknown event type nobody.sends_this");
  }

  @Test
  void twoTasksNamingTheSameRouteAreRefused() {
    assertThatThrownBy(
            () ->
                catalogOf(
                    spec("demo.first", "[POST /api/demo/run]"),
                    spec("demo.second", "{ http: post /api/demo/run }")))
        .isInstanceOf(InvalidTaskSpecException.class)
        .hasMessageContaining("tasks/second.yaml")
        .hasMessageContaining(
            "triggered_by route POST /api/demo/run is already the route of task demo.first");
  }
}
