package org.kfm.tasks.api.job;

import io.quarkus.resteasy.reactive.jackson.CustomDeserialization;
import io.quarkus.security.Authenticated;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import org.kfm.tasks.api.auth.Caller;
import org.kfm.tasks.api.input.StrictJson;

/** Jobs over HTTP: submit, read, list, history. Decisions live in the collaborators. */
@Path(JobLinks.BASE)
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
public class JobResource {
  private final JobSubmission submission;
  private final JobQueries queries;
  private final JobControl control;
  private final SecurityIdentity identity;

  public JobResource(
      JobSubmission submission, JobQueries queries, JobControl control, SecurityIdentity identity) {
    this.submission = submission;
    this.queries = queries;
    this.control = control;
    this.identity = identity;
  }

  @POST
  @Consumes(MediaType.APPLICATION_JSON)
  @CustomDeserialization(StrictJson.class)
  public Uni<Response> submit(
      SubmitJobRequest request, @HeaderParam("Idempotency-Key") String idempotencyKey) {
    return submission.submit(Caller.of(identity), request, idempotencyKey).map(Accepted::response);
  }

  @GET
  @Path("{id}")
  public Uni<JobView> get(@PathParam("id") String id) {
    return queries.get(Caller.of(identity), id);
  }

  @GET
  @Path("{id}/events")
  public Uni<List<JobEventView>> events(@PathParam("id") String id) {
    return queries.events(Caller.of(identity), id);
  }

  @POST
  @Path("{id}/cancel")
  public Uni<JobView> cancel(@PathParam("id") String id) {
    return control.cancel(Caller.of(identity), id);
  }

  @POST
  @Path("{id}/retry")
  public Uni<JobView> retry(@PathParam("id") String id) {
    return control.retry(Caller.of(identity), id);
  }

  @GET
  public Uni<JobPage> list(
      @QueryParam("status") String status,
      @QueryParam("task") String task,
      @QueryParam("createdAfter") String createdAfter,
      @QueryParam("createdBefore") String createdBefore,
      @QueryParam("owner") String owner,
      @QueryParam("limit") Integer limit,
      @QueryParam("cursor") String cursor) {
    return queries.list(
        Caller.of(identity),
        new JobQueries.ListRequest(
            status, task, createdAfter, createdBefore, owner, limit, cursor));
  }
}
