package org.kfm.tasks.api.job;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.kfm.tasks.api.auth.Caller;
import org.kfm.tasks.api.dispatch.RequestDispatch;
import org.kfm.tasks.api.error.ApiProblem;
import org.kfm.tasks.api.quota.EnqueueQuota;
import org.kfm.tasks.api.store.JobInserts;
import org.kfm.tasks.api.store.JobRow;
import org.kfm.tasks.api.store.NewJob;
import org.kfm.tasks.contracts.FieldError;
import org.kfm.tasks.contracts.JobStatus;

/**
 * Many submissions in one transaction: every item is checked first and any invalid item refuses the
 * whole batch (each failing field named under {@code /jobs/<index>}); then all rows and their
 * history are written with two statements, and the commands published together.
 */
// Created at start, so that its meters are scraped at zero before the first request.
@Startup
@ApplicationScoped
public class JobBatchSubmission {
  public static final int MAX_JOBS = 1000;

  private final JobSubmission single;
  private final JobInserts jobs;
  private final RequestDispatch dispatcher;
  private final EnqueueQuota quota;
  private final Counter accepted;

  public JobBatchSubmission(
      JobSubmission single,
      JobInserts jobs,
      RequestDispatch dispatcher,
      EnqueueQuota quota,
      MeterRegistry registry) {
    this.single = single;
    this.quota = quota;
    this.jobs = jobs;
    this.dispatcher = dispatcher;
    this.accepted = registry.counter("kfm.jobs.accepted", "path", "batch");
  }

  public Uni<BatchAccepted> submit(Caller caller, BatchRequest request) {
    if (request == null || request.jobs() == null || request.jobs().isEmpty()) {
      throw ApiProblem.badField("/jobs", "jobs must list at least one job");
    }
    if (request.jobs().size() > MAX_JOBS) {
      throw new ApiProblem(
          413,
          "Payload too large",
          "a batch holds at most " + MAX_JOBS + " jobs, got " + request.jobs().size(),
          List.of());
    }
    Instant now = Instant.now();
    List<NewJob> prepared = new ArrayList<>();
    List<FieldError> errors = new ArrayList<>();
    for (int i = 0; i < request.jobs().size(); i++) {
      BatchItem item = request.jobs().get(i);
      try {
        if (item == null) {
          throw ApiProblem.badField("", "a job is required");
        }
        prepared.add(single.prepare(caller, item.request(), item.idempotencyKey(), now));
      } catch (ApiProblem problem) {
        if (problem.status() != 400) {
          throw problem;
        }
        String prefix = "/jobs/" + i;
        if (problem.errors().isEmpty()) {
          errors.add(new FieldError(prefix, problem.getMessage()));
        }
        problem
            .errors()
            .forEach(
                e ->
                    errors.add(
                        new FieldError(
                            prefix + e.field().replace("header:Idempotency-Key", "/idempotencyKey"),
                            e.message())));
      }
    }
    if (!errors.isEmpty()) {
      throw ApiProblem.badRequest(
          errors.size() + " field(s) invalid; no job of the batch was accepted", errors);
    }
    // Every job of the batch counts against the caller's allowance, replays included.
    return quota.admit(caller, prepared.size()).flatMap(admitted -> insert(prepared));
  }

  /**
   * Writes the batch and publishes its new queued jobs, with room on the request path taken for all
   * of them before the rows are written, or for none (then the dispatcher loop publishes them).
   */
  private Uni<BatchAccepted> insert(List<NewJob> prepared) {
    RequestDispatch.Room room = dispatcher.roomFor(prepared);
    List<NewJob> written = room.jobs();
    return jobs.insertAll(written)
        .onFailure()
        .invoke(() -> dispatcher.release(room))
        .map(
            inserted -> {
              Set<UUID> fresh = Set.copyOf(inserted.inserted());
              List<JobRow> toDispatch =
                  written.stream()
                      .filter(j -> fresh.contains(j.id()) && j.status() == JobStatus.QUEUED)
                      .map(JobSubmission::asRow)
                      .toList();
              accepted.increment(fresh.size());
              // Published before the answer is built, which may still fail (a replayed key with
              // other params): the new rows are committed either way.
              dispatcher.dispatchWritten(room, toDispatch);
              List<JobView> views = new ArrayList<>();
              for (NewJob job : written) {
                if (fresh.contains(job.id())) {
                  views.add(JobView.of(JobSubmission.asRow(job)));
                } else {
                  JobRow existing =
                      inserted.existing().get(job.idempotencyKey() + "\u001f" + job.task());
                  views.add(JobSubmission.replay(existing, job.paramsHash()).job());
                }
              }
              return new BatchAccepted(views, written.size() - fresh.size());
            });
  }
}
