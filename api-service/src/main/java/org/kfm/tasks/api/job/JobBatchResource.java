package org.kfm.tasks.api.job;

import io.quarkus.resteasy.reactive.jackson.CustomDeserialization;
import io.quarkus.security.Authenticated;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.kfm.tasks.api.auth.Caller;
import org.kfm.tasks.api.input.StrictJson;

/** {@code POST /api/v1/jobs:batch}: up to 1,000 jobs in one request and one transaction. */
// The colon is not a path separator, so the route sits below /api/v1 rather than /api/v1/jobs.
@Path("/api/v1")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
public class JobBatchResource {
  private final JobBatchSubmission batch;
  private final SecurityIdentity identity;

  public JobBatchResource(JobBatchSubmission batch, SecurityIdentity identity) {
    this.batch = batch;
    this.identity = identity;
  }

  @POST
  @Path("jobs:batch")
  @Consumes(MediaType.APPLICATION_JSON)
  @CustomDeserialization(StrictJson.class)
  public Uni<Response> submit(BatchRequest request) {
    return batch
        .submit(Caller.of(identity), request)
        .map(accepted -> Response.accepted(accepted).build());
  }
}
