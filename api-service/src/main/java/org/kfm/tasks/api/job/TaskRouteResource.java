package org.kfm.tasks.api.job;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.security.Authenticated;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.kfm.tasks.api.auth.Caller;
import org.kfm.tasks.api.error.ApiProblem;
import org.kfm.tasks.contracts.TaskCatalog;
import org.kfm.tasks.contracts.TaskSpec;

/**
 * The routes task specs name in {@code triggered_by} (such as {@code POST /api/simulation/run}):
 * the body is the task's params, and the job is submitted exactly as {@code POST /api/v1/jobs}
 * would, with the same validation, role, idempotency and answer.
 */
@Path("/")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
public class TaskRouteResource {
  private final TaskCatalog catalog;
  private final JobSubmission submission;
  private final SecurityIdentity identity;

  public TaskRouteResource(
      TaskCatalog catalog, JobSubmission submission, SecurityIdentity identity) {
    this.catalog = catalog;
    this.submission = submission;
    this.identity = identity;
  }

  @POST
  @Path("{route: .+}")
  @Consumes(MediaType.APPLICATION_JSON)
  public Uni<Response> submit(
      @PathParam("route") String route,
      JsonNode params,
      @HeaderParam("Idempotency-Key") String idempotencyKey) {
    TaskSpec.HttpRoute asked = new TaskSpec.HttpRoute("POST", "/" + route);
    TaskSpec spec =
        catalog
            .findByRoute(asked)
            .map(TaskCatalog.Entry::spec)
            .orElseThrow(() -> ApiProblem.notFound("no task is served at " + asked));
    // A route's body is the params alone: its jobs record the base lineage only.
    SubmitJobRequest request = new SubmitJobRequest(spec.name(), params, null, null, null);
    return Uni.createFrom()
        .deferred(() -> submission.submit(Caller.of(identity), request, idempotencyKey))
        .onFailure(ApiProblem.class)
        .transform(f -> ParamsAtRoot.of((ApiProblem) f))
        .map(Accepted::response);
  }
}
