package org.kfm.tasks.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.api.trace.Tracer;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.kfm.tasks.api.dispatch.RequestDispatch;
import org.kfm.tasks.api.schedule.ScheduleFiring;
import org.kfm.tasks.api.schedule.ScheduleJobs;
import org.kfm.tasks.api.schedule.ScheduleMetrics;
import org.kfm.tasks.api.schedule.SchedulesConfig;
import org.kfm.tasks.api.store.JobInserts;
import org.kfm.tasks.api.store.ScheduleStore;

/**
 * The application's own firing loop runs throughout (every 200 ms in tests); the tests create their
 * schedules through the API and watch the jobs they make. No worker runs here, so jobs stay queued.
 */
@QuarkusTest
class ScheduleFiringTest {
  private static final Duration BOUND = Duration.ofSeconds(30);

  @Inject Pool pool;
  @Inject MeterRegistry meters;
  @Inject ScheduleStore store;
  @Inject JobInserts inserts;
  @Inject ScheduleJobs jobs;
  @Inject RequestDispatch dispatch;
  @Inject ScheduleMetrics metrics;
  @Inject Vertx vertx;
  @Inject SchedulesConfig config;
  @Inject Tracer tracer;

  @Test
  void aSecondsScheduleFiredByTwoLoopsMakesOneJobPerSlot() {
    String name = Schedules.uniqueName("every-second");
    // A second firing loop against the same database, as another api replica would run.
    ScheduleFiring replica =
        new ScheduleFiring(pool, store, inserts, jobs, dispatch, metrics, vertx, config, tracer);
    replica.start();
    try {
      Schedules.create(Schedules.noop(name, "* * * * * ?", "")).statusCode(201);
      await().atMost(BOUND).until(() -> Schedules.fired(pool, name).size() >= 5);
      // An enabled schedule's next slot is a gauge (paused ones are dropped from it).
      assertThat(meters.find("kfm.schedule.next_fire_time_seconds").tag("schedule", name).gauge())
          .isNotNull();
      Schedules.post(name + "/pause").statusCode(200);
      await()
          .pollDelay(Duration.ofMillis(500))
          .atMost(BOUND)
          .until(() -> true); // let a pass that claimed before the pause commit

      List<Schedules.Fired> fired = Schedules.fired(pool, name);
      assertThat(fired).extracting(Schedules.Fired::key).doesNotHaveDuplicates();
      assertThat(fired).extracting(Schedules.Fired::slot).doesNotHaveDuplicates();
      List<Instant> slots = fired.stream().map(f -> Instant.parse(f.slot())).sorted().toList();
      assertThat(slots).allMatch(s -> s.getNano() == 0, "whole seconds");
      fired.forEach(f -> assertThat(f.key()).isEqualTo("schedule:" + name + ":" + f.slot()));
      // Every slot from the first fired up to the schedule's next slot is accounted for exactly
      // once: fired, or collapsed into a firing and counted (a pass may run late on a loaded
      // machine; the slots it collapses follow the one it fires).
      Instant next =
          Instant.parse(
              io.restassured.RestAssured.given()
                  .header("Authorization", Tokens.admin())
                  .get("/api/v1/schedules/" + name)
                  .then()
                  .extract()
                  .path("nextFireAt"));
      long span = ChronoUnit.SECONDS.between(slots.get(0), next);
      assertThat(fired.size() + Schedules.misses(meters, name, "catch_up")).isEqualTo(span);
      assertThat(Schedules.firings(meters, name)).isEqualTo(fired.size());
    } finally {
      replica.stop();
      Schedules.post(name + "/pause");
    }
  }

  @Test
  void afterAnOutageMissedSlotsFireOnceAndCountAsCatchUp() {
    String name = Schedules.uniqueName("hourly-outage");
    Schedules.create(Schedules.noop(name, "0 * * * *", ",\"enabled\":false")).statusCode(201);
    Instant missed = Instant.now().truncatedTo(ChronoUnit.HOURS).minus(Duration.ofHours(5));
    pool.preparedQuery("UPDATE schedules SET next_fire_at = $2, enabled = true WHERE name = $1")
        .execute(Tuple.of(name, missed.atOffset(java.time.ZoneOffset.UTC)))
        .await()
        .atMost(BOUND);

    await().atMost(BOUND).until(() -> !Schedules.fired(pool, name).isEmpty());
    await().pollDelay(Duration.ofSeconds(1)).atMost(BOUND).until(() -> true);

    List<Schedules.Fired> fired = Schedules.fired(pool, name);
    assertThat(fired).hasSize(1);
    assertThat(fired.get(0).slot()).isEqualTo(missed.toString());
    // Slots -4h .. 0h did not get a job of their own (one more if the hour turned meanwhile).
    assertThat(Schedules.misses(meters, name, "catch_up")).isBetween(5.0, 6.0);
    Schedules.post(name + "/pause");
    String next =
        io.restassured.RestAssured.given()
            .header("Authorization", Tokens.admin())
            .get("/api/v1/schedules/" + name)
            .then()
            .extract()
            .path("nextFireAt");
    assertThat(Instant.parse(next)).isAfter(Instant.now());
  }

  @Test
  void withCatchUpSkipAnOutageFiresNothing() {
    String name = Schedules.uniqueName("hourly-skip");
    Schedules.create(Schedules.noop(name, "0 * * * *", ",\"enabled\":false,\"catchUp\":\"skip\""))
        .statusCode(201);
    Instant missed = Instant.now().truncatedTo(ChronoUnit.HOURS).minus(Duration.ofHours(2));
    pool.preparedQuery("UPDATE schedules SET next_fire_at = $2, enabled = true WHERE name = $1")
        .execute(Tuple.of(name, missed.atOffset(java.time.ZoneOffset.UTC)))
        .await()
        .atMost(BOUND);

    await().atMost(BOUND).until(() -> Schedules.misses(meters, name, "catch_up") > 0);
    Schedules.post(name + "/pause");
    assertThat(Schedules.fired(pool, name)).isEmpty();
    assertThat(Schedules.misses(meters, name, "catch_up")).isBetween(3.0, 4.0);
  }

  @Test
  void pauseStopsFiringAndResumeStartsAtTheNextSlotWithoutABurst() {
    String name = Schedules.uniqueName("pause-resume");
    try {
      Schedules.create(Schedules.noop(name, "* * * * * ?", "")).statusCode(201);
      await().atMost(BOUND).until(() -> !Schedules.fired(pool, name).isEmpty());
      Schedules.post(name + "/pause").statusCode(200).body("enabled", equalTo(false));
      await().pollDelay(Duration.ofMillis(600)).atMost(BOUND).until(() -> true);
      int paused = Schedules.fired(pool, name).size();

      await().pollDelay(Duration.ofSeconds(3)).atMost(BOUND).until(() -> true);
      assertThat(Schedules.fired(pool, name)).hasSize(paused);

      double catchUpBefore = Schedules.misses(meters, name, "catch_up");
      Instant resumedAt = Instant.now();
      String next =
          Schedules.post(name + "/resume")
              .statusCode(200)
              .body("enabled", equalTo(true))
              .extract()
              .path("nextFireAt");
      assertThat(Instant.parse(next)).isAfter(resumedAt.minusMillis(1));
      await().atMost(BOUND).until(() -> Schedules.fired(pool, name).size() > paused);

      List<Schedules.Fired> after =
          Schedules.fired(pool, name).subList(paused, Schedules.fired(pool, name).size());
      // The seconds missed while paused were neither fired nor caught up.
      assertThat(after)
          .allMatch(
              f -> !Instant.parse(f.slot()).isBefore(resumedAt.truncatedTo(ChronoUnit.SECONDS)));
      assertThat(Schedules.misses(meters, name, "catch_up")).isEqualTo(catchUpBefore);
    } finally {
      Schedules.post(name + "/pause");
    }
  }

  @Test
  void skipIfRunningSkipsSlotsWhileTheLastJobIsUnfinished() {
    String name = Schedules.uniqueName("no-overlap");
    try {
      Schedules.create(
              Schedules.noop(name, "* * * * * ?", ",\"overlap\":\"skip_if_running\"")
                  .replace("\"params\":{}", "\"params\":{\"sleep_ms\":50}"))
          .statusCode(201);
      await().atMost(BOUND).until(() -> Schedules.misses(meters, name, "skipped_running") >= 2);
      List<Schedules.Fired> fired = Schedules.fired(pool, name);
      assertThat(fired).hasSize(1);
      assertThat(fired.get(0).status()).isIn("queued", "scheduled");

      io.restassured.RestAssured.given()
          .header("Authorization", Tokens.admin())
          .post("/api/v1/jobs/" + fired.get(0).id() + "/cancel")
          .then()
          .statusCode(200);
      await().atMost(BOUND).until(() -> Schedules.fired(pool, name).size() == 2);
    } finally {
      Schedules.post(name + "/pause");
    }
  }
}
