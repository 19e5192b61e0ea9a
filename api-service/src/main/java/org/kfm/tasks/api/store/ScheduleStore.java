package org.kfm.tasks.api.store;

import static org.kfm.tasks.api.store.Timestamps.utc;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.kfm.tasks.contracts.Wire;

/** Every statement on {@code schedules}: the admins' edits and the firing loop's claim. */
@ApplicationScoped
public class ScheduleStore {
  private static final String RETURNING = " RETURNING " + ScheduleRow.COLUMNS.replace("s.", "");

  private final Pool pool;

  public ScheduleStore(Pool pool) {
    this.pool = pool;
  }

  /**
   * Inserts a new schedule.
   *
   * @return false when a schedule of that name exists
   */
  public Uni<Boolean> insert(ScheduleRow s) {
    return pool.preparedQuery(
            "INSERT INTO schedules (name, cron, time_zone, task, params, enabled, catch_up, overlap,"
                + " next_fire_at, created_by, created_at, updated_by, updated_at)"
                + " VALUES ($1, $2, $3, $4, $5::text::jsonb, $6, $7, $8, $9, $10, $11, $10, $11)"
                + " ON CONFLICT (name) DO NOTHING RETURNING name")
        .execute(
            Tuple.from(
                Arrays.asList(
                    s.name(),
                    s.cron(),
                    s.timeZone(),
                    s.task(),
                    Wire.toJson(s.params()),
                    s.enabled(),
                    s.catchUp(),
                    s.overlap(),
                    utc(s.nextFireAt()),
                    s.createdBy(),
                    utc(s.createdAt()))))
        .map(rows -> rows.size() > 0);
  }

  public Uni<Optional<ScheduleRow>> find(String name) {
    return pool.preparedQuery("SELECT " + ScheduleRow.COLUMNS + " FROM schedules s WHERE name = $1")
        .execute(Tuple.of(name))
        .map(ScheduleStore::first);
  }

  public Uni<List<ScheduleRow>> list() {
    return pool.preparedQuery("SELECT " + ScheduleRow.COLUMNS + " FROM schedules s ORDER BY name")
        .execute()
        .map(ScheduleStore::all);
  }

  /** Replaces what an admin may edit; the next slot is recomputed by the caller. */
  public Uni<Optional<ScheduleRow>> update(ScheduleRow s) {
    return pool.preparedQuery(
            "UPDATE schedules SET cron = $2, time_zone = $3, task = $4, params = $5::text::jsonb,"
                + " enabled = $6, catch_up = $7, overlap = $8, next_fire_at = $9, updated_by = $10,"
                + " updated_at = $11 WHERE name = $1"
                + RETURNING)
        .execute(
            Tuple.from(
                Arrays.asList(
                    s.name(),
                    s.cron(),
                    s.timeZone(),
                    s.task(),
                    Wire.toJson(s.params()),
                    s.enabled(),
                    s.catchUp(),
                    s.overlap(),
                    utc(s.nextFireAt()),
                    s.updatedBy(),
                    utc(s.updatedAt()))))
        .map(ScheduleStore::first);
  }

  /** Pauses or resumes; a resume names the next slot after now, so missed slots never burst. */
  public Uni<Optional<ScheduleRow>> setEnabled(
      String name, boolean enabled, Instant nextFireAt, String by, Instant at) {
    return pool.preparedQuery(
            "UPDATE schedules SET enabled = $2, next_fire_at = COALESCE($3, next_fire_at),"
                + " updated_by = $4, updated_at = $5 WHERE name = $1"
                + RETURNING)
        .execute(Tuple.of(name, enabled, utc(nextFireAt), by, utc(at)))
        .map(ScheduleStore::first);
  }

  public Uni<Boolean> delete(String name) {
    return pool.preparedQuery("DELETE FROM schedules WHERE name = $1 RETURNING name")
        .execute(Tuple.of(name))
        .map(rows -> rows.size() > 0);
  }

  /**
   * Locks up to {@code limit} enabled schedules whose slot is due, with the status of each one's
   * last job. Rows another replica holds are skipped: that replica fires them.
   */
  public Uni<List<ScheduleRow>> claimDue(SqlConnection conn, int limit) {
    return conn.preparedQuery(
            "SELECT "
                + ScheduleRow.COLUMNS
                + ", j.status AS last_job_status FROM schedules s"
                + " LEFT JOIN jobs j ON j.id = s.last_job_id"
                + " WHERE s.enabled AND s.next_fire_at <= now()"
                + " ORDER BY s.next_fire_at LIMIT $1 FOR UPDATE OF s SKIP LOCKED")
        .execute(Tuple.of(limit))
        .map(
            rows -> {
              List<ScheduleRow> due = new ArrayList<>();
              rows.forEach(r -> due.add(ScheduleRow.from(r, true)));
              return due;
            });
  }

  /**
   * Moves a claimed schedule to its next slot, recording the job it fired when there is one. A
   * schedule whose expression has no further slot ({@code nextFireAt} null) is disabled instead.
   */
  public Uni<Void> advance(
      SqlConnection conn, String name, Instant nextFireAt, UUID firedJob, Instant firedAt) {
    return conn.preparedQuery(
            "UPDATE schedules SET next_fire_at = COALESCE($2, next_fire_at),"
                + " enabled = enabled AND $2::timestamptz IS NOT NULL,"
                + " last_job_id = COALESCE($3, last_job_id),"
                + " last_fired_at = CASE WHEN $3::uuid IS NULL THEN last_fired_at ELSE $4 END"
                + " WHERE name = $1")
        .execute(Tuple.of(name, utc(nextFireAt), firedJob, utc(firedAt)))
        .replaceWithVoid();
  }

  /** Records a job started by "run now", which {@code skip_if_running} then waits for too. */
  public Uni<Void> recordRun(String name, UUID job, Instant at) {
    return pool.preparedQuery(
            "UPDATE schedules SET last_job_id = $2, last_fired_at = $3 WHERE name = $1")
        .execute(Tuple.of(name, job, utc(at)))
        .replaceWithVoid();
  }

  private static Optional<ScheduleRow> first(RowSet<io.vertx.mutiny.sqlclient.Row> rows) {
    var it = rows.iterator();
    return it.hasNext() ? Optional.of(ScheduleRow.from(it.next(), false)) : Optional.empty();
  }

  private static List<ScheduleRow> all(RowSet<io.vertx.mutiny.sqlclient.Row> rows) {
    List<ScheduleRow> list = new ArrayList<>();
    rows.forEach(r -> list.add(ScheduleRow.from(r, false)));
    return list;
  }
}
