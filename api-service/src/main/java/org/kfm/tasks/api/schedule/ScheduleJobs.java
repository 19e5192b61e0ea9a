package org.kfm.tasks.api.schedule;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.opentelemetry.api.trace.SpanContext;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.Set;
import org.kfm.tasks.api.auth.Caller;
import org.kfm.tasks.api.dispatch.DispatchConfig;
import org.kfm.tasks.api.job.SubmissionRules;
import org.kfm.tasks.api.job.SubmitJobRequest;
import org.kfm.tasks.api.store.NewJob;
import org.kfm.tasks.api.store.ScheduleRow;
import org.kfm.tasks.api.trace.JobTraces;
import org.kfm.tasks.contracts.TaskCatalog;

/**
 * The job a schedule enqueues, built by the same rules as a client's submission. Its owner is
 * {@code schedule:<name>} (so the jobs of one schedule are listed together, whoever edited it last,
 * and only admins see them), acting with role {@code admin}, which every task accepts. The slot is
 * in the idempotency key ({@code schedule:<name>:<slot>}), so a slot can make one job only; a "run
 * now" gets {@code schedule:<name>:run:<request>} instead, which no slot key equals. The lineage
 * names the schedule and slot, and so does the job's first history entry. A slot's job is in the
 * trace of its firing, recorded in its lineage as a request's job records the request's.
 */
@ApplicationScoped
public class ScheduleJobs {
  private final SubmissionRules rules;

  public ScheduleJobs(TaskCatalog catalog, DispatchConfig dispatch) {
    this.rules = new SubmissionRules(catalog, dispatch.fastPathGrace());
  }

  static String owner(String schedule) {
    return "schedule:" + schedule;
  }

  static String slotKey(String schedule, Instant slot) {
    return owner(schedule) + ":" + slot;
  }

  /** The job of one slot, in the trace of the span {@code firing}. */
  NewJob forSlot(ScheduleRow schedule, Instant slot, Instant now, SpanContext firing) {
    NewJob job = build(schedule, slotKey(schedule.name(), slot), "slot", slot, now);
    if (!firing.isValid()) {
      return job;
    }
    ObjectNode lineage = ((ObjectNode) job.lineage()).deepCopy();
    lineage.put("traceId", firing.getTraceId());
    lineage.put(JobTraces.LINEAGE_FIELD, JobTraces.traceparentOf(firing));
    return job.withTrace(firing.getTraceId(), lineage);
  }

  /** A job started by hand, outside the slots. */
  NewJob forRun(ScheduleRow schedule, String request, Instant now) {
    return build(schedule, owner(schedule.name()) + ":run:" + request, "run", null, now);
  }

  private NewJob build(
      ScheduleRow schedule, String key, String trigger, Instant slot, Instant now) {
    Caller caller = new Caller(owner(schedule.name()), Set.of(Caller.ADMIN));
    NewJob job =
        rules.prepare(
            caller,
            new SubmitJobRequest(schedule.task(), schedule.params(), null, null, null),
            key,
            now);
    ObjectNode lineage = ((ObjectNode) job.lineage()).deepCopy();
    lineage.put("schedule", schedule.name());
    lineage.put("trigger", trigger);
    if (slot != null) {
      lineage.put("slot", slot.toString());
    }
    return job.withLineage(lineage);
  }
}
