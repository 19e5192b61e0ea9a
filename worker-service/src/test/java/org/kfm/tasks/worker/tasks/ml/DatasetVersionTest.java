package org.kfm.tasks.worker.tasks.ml;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class DatasetVersionTest {
  private static RunRow run(String id, String finished) {
    return new RunRow(UUID.fromString(id), "s", 1, 1, 0, 1, 1, 1, Instant.parse(finished));
  }

  private static final RunRow A =
      run("00000000-0000-0000-0000-00000000000a", "2026-11-01T10:00:00Z");
  private static final RunRow B =
      run("00000000-0000-0000-0000-00000000000b", "2026-11-02T10:00:00Z");
  private static final RunRow C =
      run("00000000-0000-0000-0000-00000000000c", "2026-11-01T12:00:00Z");

  @Test
  void namesTheCountTheLatestFinishAndAHashOfTheIds() {
    DatasetVersion version = DatasetVersion.of(List.of(A, B, C));

    assertThat(version.rows()).isEqualTo(3);
    assertThat(version.maxFinishedAt()).isEqualTo(Instant.parse("2026-11-02T10:00:00Z"));
    assertThat(version.text()).matches("simulation_runs:3:2026-11-02T10:00:00Z:[0-9a-f]{16}");
  }

  @Test
  void theSameRunsInAnotherOrderAreTheSameVersion() {
    assertThat(DatasetVersion.of(List.of(C, A, B))).isEqualTo(DatasetVersion.of(List.of(A, B, C)));
  }

  @Test
  void replacingARunChangesTheVersionEvenWithTheSameCountAndFinish() {
    RunRow other = run("00000000-0000-0000-0000-0000000000ff", "2026-11-01T12:00:00Z");
    List<RunRow> replaced = new ArrayList<>(List.of(A, B, other));

    DatasetVersion before = DatasetVersion.of(List.of(A, B, C));
    DatasetVersion after = DatasetVersion.of(replaced);

    assertThat(after.rows()).isEqualTo(before.rows());
    assertThat(after.maxFinishedAt()).isEqualTo(before.maxFinishedAt());
    assertThat(after.text()).isNotEqualTo(before.text());
  }
}
