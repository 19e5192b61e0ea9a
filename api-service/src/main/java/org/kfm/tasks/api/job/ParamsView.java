package org.kfm.tasks.api.job;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.enterprise.context.ApplicationScoped;
import org.kfm.tasks.api.auth.Caller;
import org.kfm.tasks.api.store.JobRow;
import org.kfm.tasks.contracts.Redactor;
import org.kfm.tasks.contracts.TaskCatalog;
import org.kfm.tasks.contracts.TaskSpec;

/**
 * A job's params as the caller may see them: the owner sees what they submitted, secrets included
 * (it is their own token); anyone else who may read the job (an admin) sees the fields its spec
 * lists in {@code security.redact}, and any credential-named field, masked.
 */
@ApplicationScoped
public class ParamsView {
  private final TaskCatalog catalog;

  public ParamsView(TaskCatalog catalog) {
    this.catalog = catalog;
  }

  public JsonNode forCaller(Caller caller, JobRow job) {
    if (job.params() == null || caller.name().equals(job.owner())) {
      return job.params();
    }
    TaskSpec spec = catalog.find(job.task()).map(TaskCatalog.Entry::spec).orElse(null);
    return Redactor.of(spec).params(job.params());
  }
}
