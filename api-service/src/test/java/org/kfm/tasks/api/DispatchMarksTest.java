package org.kfm.tasks.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.kfm.tasks.api.dispatch.DispatchMarks;

@QuarkusTest
class DispatchMarksTest {
  @Inject DispatchMarks marks;

  @Inject MeterRegistry meters;

  @Test
  void marksRequestedWhileATransactionRunsShareTheNextOne() {
    var summary = meters.find("kfm.dispatch.mark.jobs").summary();
    long flushesBefore = summary == null ? 0 : summary.count();
    double idsBefore = summary == null ? 0 : summary.totalAmount();

    List<Uni<Void>> all = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      all.add(marks.mark(List.of(UUID.randomUUID())));
    }
    Uni.join().all(all).andFailFast().await().atMost(Duration.ofSeconds(30));

    summary = meters.find("kfm.dispatch.mark.jobs").summary();
    assertThat(summary.totalAmount() - idsBefore).isEqualTo(200);
    // The first request starts a transaction at once; the rest queue behind it and share a few.
    assertThat(summary.count() - flushesBefore).isBetween(1L, 20L);
  }
}
