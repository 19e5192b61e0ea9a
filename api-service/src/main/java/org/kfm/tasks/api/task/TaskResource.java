package org.kfm.tasks.api.task;

import io.quarkus.security.Authenticated;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.kfm.tasks.contracts.TaskCatalog;

/** The task catalogue with input schemas, so clients can build valid submissions. */
@Path("/api/v1/tasks")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
public class TaskResource {
  private final TaskCatalog catalog;
  private final boolean showHidden;

  public TaskResource(
      TaskCatalog catalog,
      @ConfigProperty(name = "kfm.api.show-hidden-tasks", defaultValue = "false")
          boolean showHidden) {
    this.catalog = catalog;
    this.showHidden = showHidden;
  }

  @GET
  public List<TaskView> list() {
    return catalog.all().stream()
        .map(TaskCatalog.Entry::spec)
        .filter(spec -> showHidden || !spec.hidden())
        .map(TaskView::of)
        .toList();
  }
}
