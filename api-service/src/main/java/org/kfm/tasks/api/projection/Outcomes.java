package org.kfm.tasks.api.projection;

import org.jboss.logging.Logger;
import org.kfm.tasks.api.store.JobState;
import org.kfm.tasks.contracts.AfterAttempt.Kind;
import org.kfm.tasks.contracts.AfterAttempt.Next;
import org.kfm.tasks.contracts.JobEvent;

/** The log line of an attempt's end as projected: one per outcome, with the job's context. */
final class Outcomes {
  // The projector's log category, so operators' filters keep working.
  private static final Logger LOG = Logger.getLogger(EventApplier.class);

  private Outcomes() {}

  static void log(JobState job, JobEvent event, Next next) {
    String code = event.error() == null ? null : event.error().code();
    String errorId = event.error() == null ? null : event.error().errorId();
    if (next.kind() == Kind.RETRY) {
      LOG.infof(
          "job=%s task=%s attempt=%d failed code=%s errorId=%s; attempt %d of %d at %s",
          job.id(),
          job.task(),
          event.attempt(),
          code,
          errorId,
          next.attempt(),
          job.maxAttempts() + next.addedAttempts(),
          next.runAt());
      return;
    }
    switch (next.status()) {
      case SUCCEEDED ->
          LOG.debugf("job=%s task=%s attempt=%d succeeded", job.id(), job.task(), event.attempt());
      case FAILED ->
          LOG.infof(
              "job=%s task=%s attempt=%d failed for good code=%s errorId=%s",
              job.id(), job.task(), event.attempt(), code, errorId);
      case CANCELED ->
          LOG.infof(
              "job=%s task=%s attempt=%d canceled code=%s",
              job.id(), job.task(), event.attempt(), code);
      case EXPIRED ->
          LOG.infof(
              "job=%s task=%s attempt=%d expired before it started",
              job.id(), job.task(), event.attempt());
      default -> {}
    }
  }
}
