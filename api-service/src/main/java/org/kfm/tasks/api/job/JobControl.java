package org.kfm.tasks.api.job;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;
import java.util.UUID;
import org.jboss.logging.Logger;
import org.kfm.tasks.api.auth.Caller;
import org.kfm.tasks.api.dispatch.ControlPublisher;
import org.kfm.tasks.api.error.ApiProblem;
import org.kfm.tasks.contracts.JobStatus;
import org.kfm.tasks.contracts.JobTransitions;
import org.kfm.tasks.contracts.JobTransitions.Decision;
import org.kfm.tasks.contracts.Transition;

/**
 * A user's requests to cancel or re-run a job, decided by the transition table with the row locked.
 * A job not known to have started is canceled at once; a running one is asked to stop through
 * {@code kfm.job-control} and ends when its worker confirms (or ends canceled if its attempt fails
 * or is lost meanwhile). A queued job's command may already be in a worker's hands (waiting for a
 * slot, or started and not yet reported), so workers are told about its cancel too: they skip the
 * command or stop the attempt. Each request names its attempt, so a retry after a cancel runs.
 */
@ApplicationScoped
public class JobControl {
  private static final Logger LOG = Logger.getLogger(JobControl.class);

  private final Pool pool;
  private final JobRepository jobs;
  private final ControlPublisher control;

  public JobControl(Pool pool, JobRepository jobs, ControlPublisher control) {
    this.pool = pool;
    this.jobs = jobs;
    this.control = control;
  }

  private record Locked(UUID id, String owner, JobStatus status, int attempt) {}

  public Uni<JobView> cancel(Caller caller, String rawId) {
    UUID id = JobQueries.parseId(rawId);
    return pool.withTransaction(
            conn ->
                lock(conn, caller, id, rawId)
                    .flatMap(
                        job -> {
                          Decision d = decide(job, Transition.CANCEL_REQUESTED, "cancel");
                          if (d.next() == JobStatus.CANCELED) {
                            LOG.infof("job=%s canceled by %s before it started", id, caller.name());
                            return conn.preparedQuery(
                                    "UPDATE jobs SET status = 'canceled', cancel_requested_at = now(),"
                                        + " finished_at = now(), next_dispatch_at = NULL, updated_at = now()"
                                        + " WHERE id = $1")
                                .execute(Tuple.of(id))
                                .chain(() -> history(conn, id, "canceled", job.attempt()))
                                .replaceWith(
                                    job.status() == JobStatus.QUEUED
                                        ? Optional.of(job.attempt())
                                        : Optional.<Integer>empty());
                          }
                          LOG.infof(
                              "job=%s attempt=%d cancel requested by %s",
                              id, job.attempt(), caller.name());
                          return conn.preparedQuery(
                                  "UPDATE jobs SET cancel_requested_at = now(), updated_at = now() WHERE id = $1")
                              .execute(Tuple.of(id))
                              .chain(() -> history(conn, id, "cancel_requested", job.attempt()))
                              .replaceWith(Optional.of(job.attempt()));
                        }))
        .flatMap(
            tellWorkers ->
                tellWorkers.isPresent()
                    ? control.requestCancel(id, tellWorkers.get())
                    : Uni.createFrom().voidItem())
        .flatMap(ignored -> jobs.findById(id))
        .map(row -> JobView.of(row.orElseThrow()));
  }

  public Uni<JobView> retry(Caller caller, String rawId) {
    UUID id = JobQueries.parseId(rawId);
    return pool.withTransaction(
            conn ->
                lock(conn, caller, id, rawId)
                    .flatMap(
                        job -> {
                          Decision d = decide(job, Transition.MANUAL_RETRY, "retry");
                          LOG.infof(
                              "job=%s retried by %s as attempt %d",
                              id, caller.name(), d.nextAttempt());
                          return conn.preparedQuery(
                                  "UPDATE jobs SET status = $2, attempt = $3, max_attempts = GREATEST(max_attempts, $3),"
                                      + " run_at = now(), next_dispatch_at = now(), dispatched_at = NULL,"
                                      + " started_at = NULL, finished_at = NULL, worker_id = NULL, progress = NULL,"
                                      + " cancel_requested_at = NULL, deadline = now() + (deadline - run_at),"
                                      + " updated_at = now() WHERE id = $1")
                              .execute(Tuple.of(id, d.next().wireName(), d.nextAttempt()))
                              .chain(() -> history(conn, id, "scheduled", d.nextAttempt()));
                        }))
        .flatMap(ignored -> jobs.findById(id))
        .map(row -> JobView.of(row.orElseThrow()));
  }

  private static Decision decide(Locked job, Transition transition, String verb) {
    Decision d = JobTransitions.decide(job.status(), job.attempt(), transition, job.attempt());
    if (!d.applies()) {
      throw ApiProblem.conflict("cannot " + verb + " a job that is " + job.status().wireName());
    }
    return d;
  }

  private Uni<Locked> lock(SqlConnection conn, Caller caller, UUID id, String rawId) {
    return conn.preparedQuery(
            "SELECT id, owner, status, attempt FROM jobs WHERE id = $1 FOR UPDATE")
        .execute(Tuple.of(id))
        .map(
            rows -> {
              var it = rows.iterator();
              if (!it.hasNext()) {
                throw ApiProblem.notFound("no job " + rawId);
              }
              Row r = it.next();
              Locked job =
                  new Locked(
                      r.getUUID("id"),
                      r.getString("owner"),
                      JobStatus.fromWireName(r.getString("status")),
                      r.getInteger("attempt"));
              if (!caller.mayRead(job.owner())) {
                throw ApiProblem.notFound("no job " + rawId);
              }
              return job;
            });
  }

  private static Uni<Void> history(SqlConnection conn, UUID id, String type, int attempt) {
    return conn.preparedQuery(
            "INSERT INTO job_events (job_id, type, attempt, at) VALUES ($1, $2, $3, now())")
        .execute(Tuple.of(id, type, attempt))
        .replaceWithVoid();
  }
}
