package org.kfm.tasks.api.job;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;
import java.util.UUID;
import org.jboss.logging.Logger;
import org.kfm.tasks.api.auth.Caller;
import org.kfm.tasks.api.dispatch.ControlPublisher;
import org.kfm.tasks.api.error.ApiProblem;
import org.kfm.tasks.api.store.ControlStore;
import org.kfm.tasks.api.store.ControlStore.Locked;
import org.kfm.tasks.api.store.JobReads;
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
  private final ControlStore store;
  private final JobReads reads;
  private final ControlPublisher control;

  public JobControl(Pool pool, ControlStore store, JobReads reads, ControlPublisher control) {
    this.pool = pool;
    this.store = store;
    this.reads = reads;
    this.control = control;
  }

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
                            // A queued job's command may already be in a worker's hands.
                            return store
                                .cancel(conn, job, d)
                                .replaceWith(
                                    job.status() == JobStatus.QUEUED
                                        ? Optional.of(job.attempt())
                                        : Optional.<Integer>empty());
                          }
                          LOG.infof(
                              "job=%s attempt=%d cancel requested by %s",
                              id, job.attempt(), caller.name());
                          return store
                              .requestCancel(conn, job)
                              .replaceWith(Optional.of(job.attempt()));
                        }))
        .flatMap(
            tellWorkers ->
                tellWorkers.isPresent()
                    ? control.requestCancel(id, tellWorkers.get())
                    : Uni.createFrom().voidItem())
        .flatMap(ignored -> reads.findById(id))
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
                          return store.retry(conn, job, d);
                        }))
        .flatMap(ignored -> reads.findById(id))
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
    return store
        .lock(conn, id)
        .map(
            found ->
                found
                    .filter(job -> caller.mayRead(job.owner()))
                    .orElseThrow(() -> ApiProblem.notFound("no job " + rawId)));
  }
}
