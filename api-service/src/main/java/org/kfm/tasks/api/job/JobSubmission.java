package org.kfm.tasks.api.job;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jboss.logging.Logger;
import org.kfm.tasks.api.auth.Caller;
import org.kfm.tasks.api.dispatch.DispatchConfig;
import org.kfm.tasks.api.dispatch.RequestDispatch;
import org.kfm.tasks.api.error.ApiProblem;
import org.kfm.tasks.api.input.InputLimits;
import org.kfm.tasks.api.input.JsonShape;
import org.kfm.tasks.api.quota.EnqueueQuota;
import org.kfm.tasks.api.store.GroupedInserts;
import org.kfm.tasks.api.store.JobInserts;
import org.kfm.tasks.api.store.JobReads;
import org.kfm.tasks.api.store.JobRow;
import org.kfm.tasks.api.store.NewJob;
import org.kfm.tasks.contracts.FieldError;
import org.kfm.tasks.contracts.TaskCatalog;
import org.kfm.tasks.contracts.TaskSpec;

/**
 * Turns a submission that passes {@link SubmissionRules} into a committed job and publishes it; an
 * idempotency key seen before returns the job it named, or a conflict if the request differs.
 */
// Created at start, so that its meters are scraped at zero before the first request.
@Startup
@ApplicationScoped
public class JobSubmission {
  private static final Logger LOG = Logger.getLogger(JobSubmission.class);

  private final TaskCatalog catalog;
  private final SubmissionRules rules;
  private final JobInserts inserts;
  private final GroupedInserts grouped;
  private final JobReads reads;
  private final RequestDispatch dispatcher;
  private final JsonShape shape;
  private final EnqueueQuota quota;
  private final Counter accepted;

  public JobSubmission(
      TaskCatalog catalog,
      DispatchConfig dispatch,
      JobInserts inserts,
      GroupedInserts grouped,
      JobReads reads,
      RequestDispatch dispatcher,
      Instance<ParamsCheck> taskChecks,
      InputLimits limits,
      EnqueueQuota quota,
      MeterRegistry registry) {
    this.catalog = catalog;
    this.rules =
        new SubmissionRules(catalog, dispatch.fastPathGrace(), taskChecks.stream().toList());
    this.inserts = inserts;
    this.grouped = grouped;
    this.reads = reads;
    this.dispatcher = dispatcher;
    this.shape = new JsonShape(limits);
    this.quota = quota;
    this.accepted = registry.counter("kfm.jobs.accepted", "path", "single");
  }

  public Uni<Accepted> submit(Caller caller, SubmitJobRequest request, String idempotencyKey) {
    NewJob job = prepare(caller, request, idempotencyKey, Instant.now());
    String key = job.idempotencyKey();
    String hash = job.paramsHash();
    TaskSpec spec = catalog.find(job.task()).orElseThrow().spec();
    // A client retrying a request it sent before gets its job back, not a quota refusal: the
    // retry enqueues nothing.
    Uni<Optional<JobRow>> earlier =
        idempotencyKey == null
            ? Uni.createFrom().item(Optional.empty())
            : reads.findByKey(caller.name(), spec.name(), key);
    return earlier.flatMap(
        found ->
            found.isPresent()
                ? Uni.createFrom().item(replay(found.get(), hash))
                : admitAndInsert(caller, job, spec, key, hash));
  }

  private Uni<Accepted> admitAndInsert(
      Caller caller, NewJob job, TaskSpec spec, String key, String hash) {
    return quota
        .admit(caller, 1)
        .flatMap(
            admitted -> {
              RequestDispatch.Room room = dispatcher.roomFor(List.of(job));
              NewJob written = room.jobs().get(0);
              return grouped
                  .insert(written)
                  .onFailure()
                  .invoke(() -> dispatcher.release(room))
                  .flatMap(inserted -> accepted(caller, written, room, inserted, spec, key, hash));
            });
  }

  private Uni<Accepted> accepted(
      Caller caller,
      NewJob job,
      RequestDispatch.Room room,
      boolean inserted,
      TaskSpec spec,
      String key,
      String hash) {
    if (!inserted) {
      dispatcher.release(room);
      return reads
          .findByKey(caller.name(), spec.name(), key)
          .map(existing -> replay(existing.orElseThrow(), hash));
    }
    accepted.increment();
    LOG.debugf(
        "job=%s task=%s owner=%s accepted status=%s",
        job.id(), job.task(), job.owner(), job.status().wireName());
    JobRow row = asRow(job);
    dispatcher.dispatchWritten(room, List.of(row));
    return Uni.createFrom().item(new Accepted(JobView.of(row), false));
  }

  /**
   * Commits a job a trigger made ({@link SubmissionRules#prepareTriggered}) and publishes it.
   *
   * @return false when the job was made before (the same event again): nothing is written
   */
  public Uni<Boolean> submitTriggered(NewJob job) {
    return inserts
        .insert(job)
        .invoke(
            inserted -> {
              if (inserted) {
                dispatcher.dispatchAccepted(asRow(job));
              }
            });
  }

  /** The rules, for callers that build jobs themselves (triggers). */
  public SubmissionRules rules() {
    return rules;
  }

  /**
   * Checks one submission and builds the row it becomes; nothing is written.
   *
   * @throws ApiProblem naming each invalid field, or the missing role
   */
  public NewJob prepare(
      Caller caller, SubmitJobRequest request, String idempotencyKey, Instant now) {
    Optional<FieldError> oversized =
        request == null
            ? Optional.empty()
            : shape
                .check("/params", request.params())
                .or(() -> shape.check("/lineage", request.lineage()));
    if (oversized.isPresent()) {
      FieldError error = oversized.get();
      throw ApiProblem.badField(error.field(), error.field() + " " + error.message());
    }
    return rules.prepare(caller, request, idempotencyKey, now);
  }

  static Accepted replay(JobRow existing, String hash) {
    if (!existing.paramsHash().equals(hash)) {
      throw ApiProblem.conflict(
          "this idempotency key was already used for job "
              + existing.id()
              + " with a different request");
    }
    return new Accepted(JobView.of(existing), true);
  }

  /** The row a just-inserted job is, for publishing it without reading it back. */
  public static JobRow asRow(NewJob job) {
    return new JobRow(
        job.id(),
        job.task(),
        job.taskVersion(),
        job.status(),
        job.params(),
        job.owner(),
        job.idempotencyKey(),
        job.paramsHash(),
        job.queue(),
        1,
        job.maxAttempts(),
        job.runAt(),
        job.deadline(),
        job.createdAt(),
        null,
        null,
        null,
        null,
        null,
        job.traceId(),
        job.lineage());
  }
}
