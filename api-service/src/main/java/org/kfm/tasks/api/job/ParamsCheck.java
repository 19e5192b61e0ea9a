package org.kfm.tasks.api.job;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.kfm.tasks.contracts.FieldError;

/**
 * One task's own check of params that already fit its input schema, for what a schema cannot say
 * (one field against another, a count computed from several, this deployment's settings). A bean
 * implementing it is picked up by {@link JobSubmission}; errors name fields under {@code /params},
 * and empty means the params may run.
 */
public interface ParamsCheck {
  /** The task whose params this checks. */
  String task();

  List<FieldError> check(JsonNode params);
}
