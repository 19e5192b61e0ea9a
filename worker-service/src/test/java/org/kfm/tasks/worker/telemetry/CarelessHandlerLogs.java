package org.kfm.tasks.worker.telemetry;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.annotation.Priority;
import jakarta.decorator.Decorator;
import jakarta.decorator.Delegate;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;
import java.io.IOException;
import org.jboss.logging.Logger;
import org.kfm.tasks.contracts.TaskContext;
import org.kfm.tasks.contracts.TaskHandler;

/**
 * Makes every task handler of the tests' worker log, on its own thread and logger, the credential
 * it was given in {@code auth_token} before it runs: as a careless handler would, bare, behind an
 * Authorization header, and in an exception's message. The canary test checks that none of these
 * lines shows the secret.
 */
@Decorator
@Priority(10)
@Dependent
public class CarelessHandlerLogs implements TaskHandler {
  static final String LOGGER = "org.kfm.tasks.worker.tasks.careless";
  private static final Logger LOG = Logger.getLogger(LOGGER);

  @Inject @Delegate TaskHandler handler;

  @Override
  public String task() {
    return handler.task();
  }

  @Override
  public JsonNode run(TaskContext context) throws Exception {
    JsonNode token = context.params().path("auth_token");
    if (token.isTextual()) {
      LOG.infof("job=%s asking the upstream as %s", context.jobId(), token.asText());
      LOG.infof("job=%s sending Authorization: Bearer %s", context.jobId(), token.asText());
      LOG.warnf(
          new IOException("upstream refused the token " + token.asText()),
          "job=%s upstream trouble",
          context.jobId());
    }
    return handler.run(context);
  }
}
