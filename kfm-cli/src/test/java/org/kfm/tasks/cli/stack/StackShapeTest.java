package org.kfm.tasks.cli.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StackShapeTest {
  @TempDir Path root;

  private StackLayout layout() {
    return StackLayout.fromEnvironment(root, Map.of());
  }

  @Test
  void oneReplicaKeepsTheSingleWorkerAndThePortsOfBefore() {
    StackLayout layout = layout();

    assertThat(layout.apis(StackShape.SINGLE))
        .containsExactly(new StackLayout.ApiPart("api", 8080));
    assertThat(layout.workers(StackShape.SINGLE))
        .extracting(StackLayout.WorkerPart::name, StackLayout.WorkerPart::port)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("worker", 8081));
    assertThat(layout.workers(true))
        .extracting(StackLayout.WorkerPart::name)
        .containsExactly("worker-cpu-heavy", "worker-io-heavy", "worker-latency-sensitive");
  }

  @Test
  void replicasGiveEachClassItsOwnWorkersAndEveryPartItsOwnPort() {
    StackLayout layout = layout();
    StackShape two = new StackShape(2, false);

    assertThat(two.workerPerClass()).isTrue();
    assertThat(layout.workers(two))
        .extracting(StackLayout.WorkerPart::name)
        .containsExactly(
            "worker-cpu-heavy",
            "worker-io-heavy",
            "worker-latency-sensitive",
            "worker-cpu-heavy-2",
            "worker-io-heavy-2",
            "worker-latency-sensitive-2");
    assertThat(layout.workers(two))
        .allSatisfy(
            w -> {
              assertThat(w.classes()).hasSize(1);
              assertThat(w.name()).startsWith("worker-" + w.classes().get(0));
            });
    assertThat(layout.apis(two))
        .containsExactly(
            new StackLayout.ApiPart("api", 8080), new StackLayout.ApiPart("api-2", 8087));
    List<Integer> ports = new ArrayList<>();
    layout.apis(two).forEach(a -> ports.add(a.port()));
    layout.workers(two).forEach(w -> ports.add(w.port()));
    assertThat(ports).doesNotHaveDuplicates().hasSize(8);
  }

  @Test
  void theLargestShapeStepsOverThePortsOfTheOtherParts() {
    StackLayout layout = layout();
    StackShape largest = new StackShape(StackShape.MAX_REPLICAS, true);

    List<Integer> ports = new ArrayList<>();
    layout.apis(largest).forEach(a -> ports.add(a.port()));
    layout.workers(largest).forEach(w -> ports.add(w.port()));

    assertThat(ports)
        .doesNotHaveDuplicates()
        .hasSize(StackShape.MAX_REPLICAS * 4)
        .doesNotContain(
            layout.forecastPort(),
            layout.kafkaPort(),
            layout.kafkaControllerPort(),
            layout.pgPort());
  }

  @Test
  void moreReplicasThanPartitionsAreRefused() {
    assertThatThrownBy(() -> new StackShape(StackShape.MAX_REPLICAS + 1, true))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("partitions");
    assertThatThrownBy(() -> new StackShape(0, false)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void theShapeIsRecordedForTheNextUpAndForgottenByDown() {
    StackLayout layout = layout();
    assertThat(StackShape.recorded(layout)).isEmpty();

    new StackShape(3, true).record(layout);
    assertThat(StackShape.recorded(layout)).contains(new StackShape(3, true));

    StackShape.forget(layout);
    assertThat(StackShape.recorded(layout)).isEmpty();
  }
}
