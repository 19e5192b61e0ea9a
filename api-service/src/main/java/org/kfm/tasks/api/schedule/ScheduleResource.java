package org.kfm.tasks.api.schedule;

import io.quarkus.resteasy.reactive.jackson.CustomDeserialization;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.kfm.tasks.api.auth.Caller;
import org.kfm.tasks.api.input.StrictJson;
import org.kfm.tasks.api.job.Accepted;

/** Recurring schedules over HTTP, for admins only. Decisions live in {@link ScheduleAdmin}. */
@Path("/api/v1/schedules")
@RolesAllowed(Caller.ADMIN)
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Schedules", description = "Recurring jobs fired by cron (role admin)")
public class ScheduleResource {
  private final ScheduleAdmin admin;
  private final SecurityIdentity identity;

  public ScheduleResource(ScheduleAdmin admin, SecurityIdentity identity) {
    this.admin = admin;
    this.identity = identity;
  }

  @POST
  @Consumes(MediaType.APPLICATION_JSON)
  @CustomDeserialization(StrictJson.class)
  @Operation(summary = "Create a schedule; 409 when the name is taken")
  public Uni<Response> create(ScheduleRequest request) {
    return admin
        .create(Caller.of(identity), request)
        .map(s -> Response.created(URI.create("/api/v1/schedules/" + s.name())).entity(s).build());
  }

  @GET
  @Operation(summary = "Every schedule, by name")
  public Uni<List<ScheduleView>> list() {
    return admin.list();
  }

  @GET
  @Path("{name}")
  @Operation(summary = "One schedule with its next slot")
  public Uni<ScheduleView> get(@PathParam("name") String name) {
    return admin.get(name);
  }

  @PUT
  @Path("{name}")
  @Consumes(MediaType.APPLICATION_JSON)
  @CustomDeserialization(StrictJson.class)
  @Operation(summary = "Replace a schedule; its next slot is recomputed from now")
  public Uni<ScheduleView> replace(@PathParam("name") String name, ScheduleRequest request) {
    return admin.replace(Caller.of(identity), name, request);
  }

  @POST
  @Path("{name}/pause")
  @Operation(summary = "Stop firing until resumed")
  public Uni<ScheduleView> pause(@PathParam("name") String name) {
    return admin.pause(Caller.of(identity), name);
  }

  @POST
  @Path("{name}/resume")
  @Operation(summary = "Fire again from the next slot after now (missed slots are not made up)")
  public Uni<ScheduleView> resume(@PathParam("name") String name) {
    return admin.resume(Caller.of(identity), name);
  }

  @DELETE
  @Path("{name}")
  @Operation(summary = "Delete a schedule; jobs it fired stay")
  public Uni<Response> delete(@PathParam("name") String name) {
    return admin.delete(Caller.of(identity), name).map(done -> Response.noContent().build());
  }

  @POST
  @Path("{name}/run")
  @Operation(summary = "Enqueue the schedule's job now, outside its slots; 202 with the job")
  public Uni<Response> run(@PathParam("name") String name) {
    return admin.run(Caller.of(identity), name).map(Accepted::response);
  }
}
