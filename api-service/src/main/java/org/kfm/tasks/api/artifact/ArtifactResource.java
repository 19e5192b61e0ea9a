package org.kfm.tasks.api.artifact;

import io.quarkus.security.Authenticated;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import org.kfm.tasks.api.auth.Caller;
import org.kfm.tasks.api.job.ArtifactList;
import org.kfm.tasks.api.job.JobQueries;

/** A job's files: the list, and each file's download. */
@Path("/api/v1/jobs/{id}/artifacts")
@Authenticated
public class ArtifactResource {
  private final JobQueries queries;
  private final ArtifactDownloads downloads;
  private final SecurityIdentity identity;

  public ArtifactResource(
      JobQueries queries, ArtifactDownloads downloads, SecurityIdentity identity) {
    this.queries = queries;
    this.downloads = downloads;
    this.identity = identity;
  }

  @GET
  @Produces(MediaType.APPLICATION_JSON)
  public Uni<ArtifactList> list(@PathParam("id") String id) {
    return queries.artifacts(Caller.of(identity), id);
  }

  /** Streams from the artifact store on a worker thread; never on the event loop. */
  @GET
  @Path("{name}")
  @Produces(MediaType.WILDCARD)
  @Blocking
  public Response download(
      @PathParam("id") String id,
      @PathParam("name") String name,
      @HeaderParam("If-None-Match") String ifNoneMatch,
      @HeaderParam("Range") String range,
      @HeaderParam("If-Range") String ifRange)
      throws IOException {
    return downloads.download(
        Caller.of(identity),
        id,
        name,
        new ArtifactDownloads.Conditions(ifNoneMatch, range, ifRange));
  }
}
