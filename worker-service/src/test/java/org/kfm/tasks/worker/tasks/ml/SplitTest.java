package org.kfm.tasks.worker.tasks.ml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class SplitTest {
  private static final List<RunRow> ROWS = rows(40);

  private static List<RunRow> rows(int count) {
    List<RunRow> rows = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      UUID id = UUID.nameUUIDFromBytes(("run-" + i).getBytes(StandardCharsets.UTF_8));
      rows.add(new RunRow(id, "s", 1, 1, 0, 1, 1, 1, Instant.EPOCH));
    }
    return rows;
  }

  private static Set<UUID> ids(List<RunRow> rows) {
    Set<UUID> ids = new HashSet<>();
    rows.forEach(row -> ids.add(row.jobId()));
    return ids;
  }

  @Test
  void holdsOutTheRequestedShareAndKeepsEveryRowOnce() {
    Split split = Split.of(ROWS, 42, 0.25);

    assertThat(split.test()).hasSize(10);
    assertThat(split.train()).hasSize(30);
    assertThat(ids(split.train())).doesNotContainAnyElementsOf(ids(split.test()));
    Set<UUID> all = ids(split.train());
    all.addAll(ids(split.test()));
    assertThat(all).isEqualTo(ids(ROWS));
  }

  @Test
  void theSameSeedHoldsOutTheSameRowsWhateverOrderTheyCameIn() {
    List<RunRow> shuffled = new ArrayList<>(ROWS);
    Collections.reverse(shuffled);
    Collections.swap(shuffled, 3, 17);

    assertThat(Split.of(shuffled, 7, 0.3)).isEqualTo(Split.of(ROWS, 7, 0.3));
  }

  @Test
  void anotherSeedHoldsOutOtherRows() {
    assertThat(ids(Split.of(ROWS, 1, 0.25).test()))
        .isNotEqualTo(ids(Split.of(ROWS, 2, 0.25).test()));
  }

  @Test
  void aRowStaysHeldOutWhenNewRowsArrive() {
    // Ranks depend on each row alone: adding runs moves the cut, not the order of the old ones.
    List<RunRow> more = rows(41);
    List<RunRow> before = Split.of(ROWS, 42, 0.25).test();
    List<RunRow> after = Split.of(more, 42, 0.25).test();

    assertThat(ids(after)).containsAll(before.stream().limit(9).map(RunRow::jobId).toList());
  }

  @Test
  void refusesAFractionOutsideZeroToOne() {
    assertThatThrownBy(() -> Split.of(ROWS, 1, 0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Split.of(ROWS, 1, 1)).isInstanceOf(IllegalArgumentException.class);
  }
}
