package org.kfm.tasks.worker.consume;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;
import org.kfm.tasks.contracts.JobControlRequest;
import org.kfm.tasks.contracts.MalformedRecordException;
import org.kfm.tasks.contracts.Wire;
import org.kfm.tasks.worker.run.RunningAttempts;

/**
 * Cancel requests. Every replica reads the whole control topic in its own consumer group, so the
 * replica running the job stops it, and the others remember it in case the command reaches them.
 */
@ApplicationScoped
public class ControlConsumer {
  private static final Logger LOG = Logger.getLogger(ControlConsumer.class);

  private final RunningAttempts attempts;

  public ControlConsumer(RunningAttempts attempts) {
    this.attempts = attempts;
  }

  @Incoming("job-control")
  public void onControl(String record) {
    JobControlRequest request;
    try {
      request = Wire.fromJson(record, JobControlRequest.class);
    } catch (MalformedRecordException e) {
      LOG.warnf("control record ignored: %s", e.getMessage());
      return;
    }
    if (request.jobId() != null && request.action() == JobControlRequest.Action.CANCEL) {
      attempts.cancel(request.jobId(), request.attempt());
    }
  }
}
