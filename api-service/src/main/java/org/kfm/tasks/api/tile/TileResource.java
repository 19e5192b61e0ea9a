package org.kfm.tasks.api.tile;

import io.quarkus.security.Authenticated;
import io.smallrye.common.annotation.Blocking;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Response;
import java.io.IOException;

/**
 * Warmed map tiles, shared by every signed-in user whatever their role: reference imagery, made by
 * {@code geo.tile_cache_warm}, holding no one's private data.
 */
@Path("/api/v1/tiles/{layer}/{z}/{x}/{y}")
@Authenticated
public class TileResource {
  private final TileServing serving;

  public TileResource(TileServing serving) {
    this.serving = serving;
  }

  /** Reads the store on a worker thread; never on the event loop. */
  @GET
  @Produces({"image/png", "application/problem+json"})
  @Blocking
  public Response tile(
      @PathParam("layer") String layer,
      @PathParam("z") String z,
      @PathParam("x") String x,
      @PathParam("y") String yPng,
      @HeaderParam("If-None-Match") String ifNoneMatch)
      throws IOException {
    return serving.serve(layer, z, x, yPng, ifNoneMatch);
  }
}
