package org.kfm.tasks.api.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.kfm.tasks.contracts.JobStatus;

@QuarkusTest
class GroupedInsertsTest {
  private static final Duration WAIT = Duration.ofSeconds(30);

  @Inject GroupedInserts inserts;

  @Inject Pool pool;

  @Inject MeterRegistry meters;

  @Test
  void submissionsArrivingWhileAStatementRunsShareTheNextOneAndEachGetsItsOwnOutcome() {
    var summary = meters.find("kfm.submit.group.jobs").summary();
    long groupsBefore = summary == null ? 0 : summary.count();
    String owner = "grouped-" + UUID.randomUUID();

    List<NewJob> jobs = new ArrayList<>();
    List<Uni<Boolean>> outcomes = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      NewJob job = job(owner, "key-" + i);
      jobs.add(job);
      outcomes.add(inserts.insert(job));
    }
    // The same key again, under another id: a retried request; it must not say it was inserted.
    outcomes.add(inserts.insert(job(owner, "key-7")));
    List<Boolean> inserted = Uni.join().all(outcomes).andFailFast().await().atMost(WAIT);

    assertThat(inserted.subList(0, 200)).containsOnly(true);
    assertThat(inserted.get(200)).isFalse();
    summary = meters.find("kfm.submit.group.jobs").summary();
    // The first job is inserted at once; the rest wait behind it and share a few statements.
    assertThat(summary.count() - groupsBefore).isBetween(2L, 40L);
    // Every job got its first history entry, saying when it runs, as a lone insert writes it.
    var rows =
        pool.preparedQuery(
                "SELECT count(*) AS n, count(e.data->>'runAt') AS with_run_at FROM jobs j"
                    + " JOIN job_events e ON e.job_id = j.id WHERE j.owner = $1")
            .execute(Tuple.of(owner))
            .await()
            .atMost(WAIT)
            .iterator()
            .next();
    assertThat(rows.getLong("n")).isEqualTo(200);
    assertThat(rows.getLong("with_run_at")).isEqualTo(200);
  }

  @Test
  void aSecondJobWithAnIdAlreadyInTheGroupWaitsForTheNextAndIsNotInserted() {
    String owner = "grouped-" + UUID.randomUUID();
    List<Uni<Boolean>> outcomes = new ArrayList<>();
    // Keeps a statement running so that the rest form one group.
    outcomes.add(inserts.insert(job(owner, "first")));
    NewJob event = job(owner, "event");
    outcomes.add(inserts.insert(event));
    outcomes.add(inserts.insert(event));
    List<Boolean> inserted = Uni.join().all(outcomes).andFailFast().await().atMost(WAIT);

    assertThat(inserted).containsExactly(true, true, false);
  }

  private static NewJob job(String owner, String key) {
    Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
    // Scheduled a day ahead and never due: nothing dispatches these rows while the test runs.
    Instant runAt = now.plus(Duration.ofDays(1));
    return new NewJob(
        UUID.randomUUID(),
        "system.noop",
        1,
        JobStatus.SCHEDULED,
        JsonNodeFactory.instance.objectNode(),
        owner,
        key,
        "hash-" + key,
        "default",
        1,
        runAt,
        null,
        null,
        now,
        null,
        null);
  }
}
