package org.kfm.tasks.worker.run;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import org.kfm.tasks.contracts.JobEvent;
import org.kfm.tasks.contracts.JobEventType;
import org.kfm.tasks.contracts.TaskCommand;
import org.kfm.tasks.contracts.TaskSpec;

/**
 * The spans of one attempt: a run span, child of the context the command brought from the api, and
 * one span per step its handler reports, each ending when the next begins or the attempt ends.
 * Steps arrive on the handler's thread and the end on the runner's, hence the lock.
 */
final class AttemptTrace {
  static final String RUN_SPAN_PREFIX = "run ";
  static final String STEP_SPAN_PREFIX = "step ";

  private final Tracer tracer;
  private final Span run;
  private final Context runContext;
  private Span step;

  private AttemptTrace(Tracer tracer, Span run) {
    this.tracer = tracer;
    this.run = run;
    this.runContext = Context.root().with(run);
  }

  static AttemptTrace start(Tracer tracer, Context parent, TaskCommand command, TaskSpec spec) {
    Span run =
        tracer
            .spanBuilder(RUN_SPAN_PREFIX + spec.name())
            .setParent(parent)
            .setAttribute("kfm.job.id", command.jobId().toString())
            .setAttribute("kfm.task", spec.name())
            .setAttribute("kfm.attempt", command.attempt())
            .startSpan();
    return new AttemptTrace(tracer, run);
  }

  /** For a context outside a worker (unit tests): spans that record nothing. */
  static AttemptTrace none() {
    return new AttemptTrace(null, Span.getInvalid());
  }

  /** What the handler's thread makes current, so that its own spans join the attempt's. */
  Context context() {
    return runContext;
  }

  String traceId() {
    return run.getSpanContext().isValid() ? run.getSpanContext().getTraceId() : null;
  }

  synchronized void step(String name) {
    if (tracer == null) {
      return;
    }
    if (step != null) {
      step.end();
    }
    step = tracer.spanBuilder(STEP_SPAN_PREFIX + name).setParent(runContext).startSpan();
  }

  /**
   * Ends the last step and the run; a failure's span says its code and errorId, not its text. A
   * null outcome: the attempt did not run (canceled before it started, handed back).
   */
  synchronized void end(JobEvent outcome) {
    if (step != null) {
      step.end();
      step = null;
    }
    if (outcome == null) {
      run.setAttribute("kfm.outcome", "not_run");
      run.end();
      return;
    }
    run.setAttribute("kfm.outcome", outcome.type().wireName());
    if (outcome.error() != null) {
      run.setAttribute("kfm.error.code", String.valueOf(outcome.error().code()));
      if (outcome.error().errorId() != null) {
        run.setAttribute("kfm.error.id", outcome.error().errorId());
      }
    }
    if (outcome.type() == JobEventType.FAILED) {
      run.setStatus(StatusCode.ERROR, String.valueOf(outcome.error().code()));
    }
    run.end();
  }
}
