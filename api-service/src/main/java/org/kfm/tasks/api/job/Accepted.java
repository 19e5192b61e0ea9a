package org.kfm.tasks.api.job;

import jakarta.ws.rs.core.Response;
import java.net.URI;

/** The job a submission resolved to, and whether it already existed under the same key. */
public record Accepted(JobView job, boolean replayed) {

  /** 202 with the job, its location, and whether an earlier submission's job was returned. */
  public Response response() {
    return Response.accepted(job)
        .location(URI.create(job.links().get("self")))
        .header("Idempotent-Replayed", replayed)
        .build();
  }
}
