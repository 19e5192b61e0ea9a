package org.kfm.tasks.api.error;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import java.util.List;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;
import org.kfm.tasks.contracts.FieldError;

/**
 * Turns every failure into problem+json. Clients never see a stack trace; each response carries an
 * errorId that is logged with the cause, so a support request can be traced to the log line.
 */
public class ProblemMappers {
  private static final Logger LOG = Logger.getLogger(ProblemMappers.class);

  @ServerExceptionMapper
  public Response apiProblem(ApiProblem e) {
    Problem problem = Problem.of(e.status(), e.title(), e.getMessage(), e.errors());
    LOG.debugf("errorId=%s %d %s", problem.errorId(), e.status(), e.getMessage());
    return problem.toResponse().build();
  }

  @ServerExceptionMapper({AuthenticationFailedException.class, UnauthorizedException.class})
  public Response unauthorized(RuntimeException e) {
    Problem problem =
        Problem.of(401, "Unauthorized", "a valid bearer token is required", List.of());
    LOG.infof("errorId=%s authentication failed: %s", problem.errorId(), e.getMessage());
    return problem.toResponse().header("WWW-Authenticate", "Bearer").build();
  }

  @ServerExceptionMapper
  public Response forbidden(ForbiddenException e) {
    Problem problem = Problem.of(403, "Forbidden", "your roles do not allow this", List.of());
    LOG.infof("errorId=%s forbidden: %s", problem.errorId(), e.getMessage());
    return problem.toResponse().build();
  }

  @ServerExceptionMapper
  public Response unreadableBody(JsonProcessingException e) {
    String field = "";
    if (e instanceof JsonMappingException mapping) {
      StringBuilder pointer = new StringBuilder();
      for (JsonMappingException.Reference ref : mapping.getPath()) {
        pointer
            .append('/')
            .append(ref.getFieldName() != null ? ref.getFieldName() : ref.getIndex());
      }
      field = pointer.toString();
    }
    String message = "the request body is not valid JSON of the expected shape";
    Problem problem =
        Problem.of(400, "Invalid request", message, List.of(new FieldError(field, message)));
    LOG.debugf("errorId=%s unreadable body: %s", problem.errorId(), e.getOriginalMessage());
    return problem.toResponse().build();
  }

  @ServerExceptionMapper
  public Response web(WebApplicationException e) {
    int status = e.getResponse().getStatus();
    if (status >= 500) {
      return unexpected(e);
    }
    String title =
        Response.Status.fromStatusCode(status) == null
            ? "Request refused"
            : Response.Status.fromStatusCode(status).getReasonPhrase();
    Problem problem = Problem.of(status, title, e.getMessage(), List.of());
    LOG.debugf("errorId=%s %d %s", problem.errorId(), status, e.getMessage());
    return problem.toResponse().build();
  }

  @ServerExceptionMapper
  public Response unexpected(Throwable e) {
    if (Unavailable.isDatabaseOutage(e)) {
      Problem problem =
          Problem.of(
              503, "Service unavailable", "the job store is unreachable; retry later", List.of());
      LOG.warnf("errorId=%s database unavailable: %s", problem.errorId(), e.toString());
      return problem.toResponse().header("Retry-After", Unavailable.RETRY_AFTER_SECONDS).build();
    }
    Problem problem = Problem.of(500, "Internal error", "an unexpected error occurred", List.of());
    LOG.errorf(e, "errorId=%s unexpected error", problem.errorId());
    return problem.toResponse().build();
  }
}
