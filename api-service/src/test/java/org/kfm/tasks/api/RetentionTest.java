package org.kfm.tasks.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.hasItem;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.kfm.tasks.api.retention.JobRetention;
import org.kfm.tasks.contracts.JobStatus;

/**
 * Job retention against the real database: finished jobs past their status's age go with their
 * history and artifact records, in batches (the test profile's batch size is 7); younger finished
 * jobs and every job still waiting or running stay, however old.
 */
@QuarkusTest
class RetentionTest {
  private static final Duration WAIT = Duration.ofSeconds(30);

  @Inject Pool pool;
  @Inject JobRetention retention;
  @Inject MeterRegistry meters;

  private double removedCounter(String status) {
    var counter = meters.find("kfm.retention.jobs.removed").tags("status", status).counter();
    return counter == null ? 0 : counter.count();
  }

  @Test
  void oldFinishedJobsGoWithTheirHistoryAndArtifactsAndNothingElseDoes() {
    Instant now = Instant.now();
    List<UUID> doomed = new ArrayList<>();
    for (int i = 0; i < 9; i++) {
      doomed.add(job("succeeded", now.minus(Duration.ofDays(31 + i)), now));
    }
    doomed.add(job("failed", now.minus(Duration.ofDays(91)), now));
    doomed.add(job("canceled", now.minus(Duration.ofDays(45)), now));
    doomed.add(job("expired", now.minus(Duration.ofDays(400)), now));
    List<UUID> kept =
        List.of(
            job("succeeded", now.minus(Duration.ofDays(29)), now),
            job("failed", now.minus(Duration.ofDays(60)), now),
            job("canceled", now.minus(Duration.ofDays(1)), now),
            // Waiting or running for a year, or carrying a finish time of an earlier attempt:
            // not finished, so never removed.
            job("running", null, now.minus(Duration.ofDays(365))),
            job("queued", null, now.minus(Duration.ofDays(365))),
            job("scheduled", now.minus(Duration.ofDays(200)), now.minus(Duration.ofDays(365))));
    double succeededBefore = removedCounter("succeeded");
    double failedBefore = removedCounter("failed");

    Map<JobStatus, Long> removed = retention.pass().await().atMost(WAIT);

    assertThat(removed)
        .containsEntry(JobStatus.SUCCEEDED, 9L)
        .containsEntry(JobStatus.FAILED, 1L)
        .containsEntry(JobStatus.CANCELED, 1L)
        .containsEntry(JobStatus.EXPIRED, 1L);
    for (UUID id : doomed) {
      assertThat(count("jobs WHERE id = $1", id)).as("job %s", id).isZero();
      assertThat(count("job_events WHERE job_id = $1", id)).isZero();
      assertThat(count("job_artifacts WHERE job_id = $1", id)).isZero();
    }
    for (UUID id : kept) {
      assertThat(count("jobs WHERE id = $1", id)).as("job %s", id).isEqualTo(1);
      assertThat(count("job_events WHERE job_id = $1", id)).isEqualTo(2);
      assertThat(count("job_artifacts WHERE job_id = $1", id)).isEqualTo(1);
    }
    assertThat(removedCounter("succeeded") - succeededBefore).isEqualTo(9);
    assertThat(removedCounter("failed") - failedBefore).isEqualTo(1);

    assertThat(retention.pass().await().atMost(WAIT).values()).containsOnly(0L);
  }

  /** Two replicas' passes at once claim disjoint batches: every job is removed exactly once. */
  @Test
  void passesOfTwoReplicasAtOnceRemoveEachJobOnce() {
    Instant now = Instant.now();
    List<UUID> doomed = new ArrayList<>();
    for (int i = 0; i < 60; i++) {
      doomed.add(job("succeeded", now.minus(Duration.ofDays(40)), now));
    }

    List<Map<JobStatus, Long>> passes =
        Uni.join().all(retention.pass(), retention.pass()).andFailFast().await().atMost(WAIT);

    assertThat(passes.get(0).get(JobStatus.SUCCEEDED) + passes.get(1).get(JobStatus.SUCCEEDED))
        .isEqualTo(60);
    for (UUID id : doomed) {
      assertThat(count("jobs WHERE id = $1", id)).isZero();
    }
  }

  @Test
  void maintenanceTasksAreForAdminsAndTheirAgeIsChecked() {
    given()
        .header("Authorization", Tokens.admin())
        .contentType(ContentType.JSON)
        .body("{\"task\":\"maintenance.prune_artifacts\",\"params\":{\"older_than_days\":0}}")
        .post("/api/v1/jobs")
        .then()
        .statusCode(400)
        .contentType("application/problem+json")
        .body("errors.field", hasItem("/params/older_than_days"));
    given()
        .header("Authorization", Tokens.admin())
        .contentType(ContentType.JSON)
        .body("{\"task\":\"maintenance.cache_cleanup\",\"params\":{\"temp_older_than_minutes\":5}}")
        .post("/api/v1/jobs")
        .then()
        .statusCode(400)
        .body("errors.field", hasItem("/params/temp_older_than_minutes"));
    given()
        .header("Authorization", Tokens.analyst("ann"))
        .contentType(ContentType.JSON)
        .body("{\"task\":\"maintenance.prune_artifacts\",\"params\":{\"older_than_days\":30}}")
        .post("/api/v1/jobs")
        .then()
        .statusCode(403);
  }

  /**
   * A job row in {@code status}, finished at {@code finishedAt} (or not), last updated at {@code
   * updatedAt}, with two history entries and one artifact record. No deadline and no pending
   * dispatch, so the dispatcher and the watchdog leave it alone; a running one has a fresh
   * heartbeat for the same reason.
   */
  private UUID job(String status, Instant finishedAt, Instant updatedAt) {
    UUID id = UUID.randomUUID();
    OffsetDateTime updated = updatedAt.atOffset(ZoneOffset.UTC);
    pool.preparedQuery(
            "INSERT INTO jobs (id, task, task_version, status, params, owner, params_hash, queue,"
                + " max_attempts, run_at, created_at, started_at, finished_at, updated_at,"
                + " last_heartbeat_at) VALUES ($1, 'system.noop', 1, $2, '{}'::jsonb, 'retention',"
                + " 'h', 'latency-sensitive', 3, $3, $3, $3, $4, $3,"
                + " CASE WHEN $2 = 'running' THEN now() END)")
        .execute(
            Tuple.of(
                id,
                status,
                updated,
                finishedAt == null ? null : finishedAt.atOffset(ZoneOffset.UTC)))
        .await()
        .atMost(WAIT);
    pool.preparedQuery(
            "INSERT INTO job_events (job_id, type, attempt, at) VALUES ($1, 'queued', 1, $2),"
                + " ($1, $3, 1, $2)")
        .execute(Tuple.of(id, updated, status))
        .await()
        .atMost(WAIT);
    pool.preparedQuery(
            "INSERT INTO job_artifacts (job_id, name, content_type, size, sha256, storage_key,"
                + " attempt) VALUES ($1, 'out.csv', 'text/csv', 1, 'x', $2, 1)")
        .execute(Tuple.of(id, "jobs/" + id + "/out.csv"))
        .await()
        .atMost(WAIT);
    return id;
  }

  private long count(String fromWhere, UUID id) {
    return pool.preparedQuery("SELECT count(*) FROM " + fromWhere)
        .execute(Tuple.of(id))
        .await()
        .atMost(WAIT)
        .iterator()
        .next()
        .getLong(0);
  }
}
