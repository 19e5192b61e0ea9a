package org.kfm.tasks.api.schedule;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.UUID;
import org.jboss.logging.Logger;
import org.kfm.tasks.api.auth.Caller;
import org.kfm.tasks.api.dispatch.RequestDispatch;
import org.kfm.tasks.api.error.ApiProblem;
import org.kfm.tasks.api.job.Accepted;
import org.kfm.tasks.api.job.JobSubmission;
import org.kfm.tasks.api.job.JobView;
import org.kfm.tasks.api.store.JobInserts;
import org.kfm.tasks.api.store.NewJob;
import org.kfm.tasks.api.store.ScheduleRow;
import org.kfm.tasks.api.store.ScheduleStore;
import org.kfm.tasks.contracts.TaskCatalog;

/** An admin's changes to schedules, and "run now". The resource checks the role. */
@ApplicationScoped
public class ScheduleAdmin {
  private static final Logger LOG = Logger.getLogger(ScheduleAdmin.class);

  private final ScheduleRules rules;
  private final ScheduleStore store;
  private final ScheduleJobs jobs;
  private final JobInserts inserts;
  private final RequestDispatch dispatch;

  public ScheduleAdmin(
      TaskCatalog catalog,
      ScheduleStore store,
      ScheduleJobs jobs,
      JobInserts inserts,
      RequestDispatch dispatch) {
    this.rules = new ScheduleRules(catalog);
    this.store = store;
    this.jobs = jobs;
    this.inserts = inserts;
    this.dispatch = dispatch;
  }

  public Uni<ScheduleView> create(Caller caller, ScheduleRequest request) {
    ScheduleRow row =
        rules.check(request == null ? null : request.name(), request, caller.name(), Instant.now());
    return store
        .insert(row)
        .map(
            inserted -> {
              if (!inserted) {
                throw ApiProblem.conflict("a schedule named " + row.name() + " already exists");
              }
              LOG.infof(
                  "schedule=%s created by %s: %s %s task=%s enabled=%s next %s",
                  row.name(),
                  caller.name(),
                  row.cron(),
                  row.timeZone(),
                  row.task(),
                  row.enabled(),
                  row.nextFireAt());
              return ScheduleView.of(row);
            });
  }

  public Uni<List<ScheduleView>> list() {
    return store.list().map(rows -> rows.stream().map(ScheduleView::of).toList());
  }

  public Uni<ScheduleView> get(String name) {
    return existing(name).map(ScheduleView::of);
  }

  /** Replaces the schedule; its next slot is recomputed from now, so an edit never bursts. */
  public Uni<ScheduleView> replace(Caller caller, String name, ScheduleRequest request) {
    if (request != null && request.name() != null && !request.name().equals(name)) {
      throw ApiProblem.badField("/name", "a schedule cannot be renamed; create a new one");
    }
    ScheduleRow row = rules.check(name, request, caller.name(), Instant.now());
    return store
        .update(row)
        .map(
            updated -> {
              ScheduleRow saved = updated.orElseThrow(() -> notFound(name));
              LOG.infof(
                  "schedule=%s replaced by %s; next %s", name, caller.name(), saved.nextFireAt());
              return ScheduleView.of(saved);
            });
  }

  public Uni<ScheduleView> pause(Caller caller, String name) {
    return store
        .setEnabled(name, false, null, caller.name(), Instant.now())
        .map(
            paused -> {
              LOG.infof("schedule=%s paused by %s", name, caller.name());
              return ScheduleView.of(paused.orElseThrow(() -> notFound(name)));
            });
  }

  /** Resumes at the first slot after now: slots missed while paused are not made up. */
  public Uni<ScheduleView> resume(Caller caller, String name) {
    return existing(name)
        .flatMap(
            s -> {
              Instant now = Instant.now();
              Instant next =
                  CronSlots.of(s.cron(), ZoneId.of(s.timeZone()))
                      .nextAfter(now)
                      .orElseThrow(
                          () ->
                              ApiProblem.conflict(
                                  "schedule " + name + " has no slot to come; replace its cron"));
              return store.setEnabled(name, true, next, caller.name(), now);
            })
        .map(
            resumed -> {
              ScheduleRow s = resumed.orElseThrow(() -> notFound(name));
              LOG.infof("schedule=%s resumed by %s; next %s", name, caller.name(), s.nextFireAt());
              return ScheduleView.of(s);
            });
  }

  public Uni<Void> delete(Caller caller, String name) {
    return store
        .delete(name)
        .map(
            deleted -> {
              if (!deleted) {
                throw notFound(name);
              }
              LOG.infof("schedule=%s deleted by %s", name, caller.name());
              return null;
            });
  }

  /**
   * Enqueues the schedule's job at once, paused or not, outside its slots. The schedule's overlap
   * policy then waits for this job too.
   */
  public Uni<Accepted> run(Caller caller, String name) {
    return existing(name)
        .flatMap(
            s -> {
              NewJob job = jobs.forRun(s, UUID.randomUUID().toString(), Instant.now());
              return inserts
                  .insert(job)
                  .flatMap(inserted -> store.recordRun(name, job.id(), job.createdAt()))
                  .map(
                      done -> {
                        LOG.infof(
                            "schedule=%s run now by %s: job=%s task=%s",
                            name, caller.name(), job.id(), job.task());
                        var row = JobSubmission.asRow(job);
                        dispatch.dispatchAccepted(row);
                        return new Accepted(JobView.of(row), false);
                      });
            });
  }

  private Uni<ScheduleRow> existing(String name) {
    return store.find(name).map(found -> found.orElseThrow(() -> notFound(name)));
  }

  private static ApiProblem notFound(String name) {
    return ApiProblem.notFound("no schedule named " + name);
  }
}
