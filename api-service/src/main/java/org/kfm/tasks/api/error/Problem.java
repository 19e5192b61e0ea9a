package org.kfm.tasks.api.error;

import com.fasterxml.jackson.annotation.JsonInclude;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.UUID;
import org.kfm.tasks.contracts.FieldError;

/** RFC 9457 problem details, with the errorId that also appears in the server log. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record Problem(
    String type, String title, int status, String detail, String errorId, List<FieldError> errors) {

  public static final String MEDIA_TYPE = "application/problem+json";

  public static Problem of(int status, String title, String detail, List<FieldError> errors) {
    return new Problem(
        "https://kfm-tasks.dev/problems/" + title.toLowerCase().replace(' ', '-'),
        title,
        status,
        detail,
        UUID.randomUUID().toString(),
        errors);
  }

  public Response.ResponseBuilder toResponse() {
    return Response.status(status).type(MEDIA_TYPE).entity(this);
  }
}
