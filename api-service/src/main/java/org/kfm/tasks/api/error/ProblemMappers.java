package org.kfm.tasks.api.error;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import io.vertx.core.http.HttpServerRequest;
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

  private final KnownPaths routes;

  public ProblemMappers(KnownPaths routes) {
    this.routes = routes;
  }

  @ServerExceptionMapper
  public Response apiProblem(ApiProblem e) {
    Problem problem = Problem.of(e.status(), e.title(), e.getMessage(), e.errors());
    LOG.debugf("errorId=%s %d %s", problem.errorId(), e.status(), e.getMessage());
    Response.ResponseBuilder response = problem.toResponse();
    if (e instanceof TooManyRequests tooMany) {
      response.header("Retry-After", Long.toString(tooMany.retryAfterSeconds()));
    }
    return response.build();
  }

  /**
   * A body found too large while it was read (one with no declared length): the rest is left
   * unread, so the connection is closed once the answer is written.
   */
  @ServerExceptionMapper
  public Response bodyTooLarge(BodyTooLarge e, HttpServerRequest request) {
    request.response().endHandler(ended -> request.connection().close());
    Response answer = apiProblem(e);
    return Response.fromResponse(answer).header("Connection", "close").build();
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

  /** Before the REST layer's own mapper, which answers these in plain JSON. */
  @ServerExceptionMapper
  public Response mismatchedBody(MismatchedInputException e) {
    return unreadableBody(e);
  }

  @ServerExceptionMapper
  public Response unreadableBody(JsonProcessingException e) {
    String field = e instanceof JsonMappingException mapping ? pointer(mapping) : "";
    String message;
    if (e instanceof UnrecognizedPropertyException unknown) {
      message =
          "unknown field "
              + unknown.getPropertyName()
              + "; the fields are documented in /q/openapi";
    } else if (e instanceof StreamConstraintsException) {
      message = "the request body nests too deep or holds too long a value";
    } else if (e instanceof JsonMappingException) {
      message = "the request body is not JSON of the expected shape" + where(e);
    } else {
      message = "malformed JSON" + where(e);
    }
    Problem problem =
        Problem.of(400, "Invalid request", message, List.of(new FieldError(field, message)));
    LOG.debugf("errorId=%s unreadable body: %s", problem.errorId(), e.getOriginalMessage());
    return problem.toResponse().build();
  }

  private static String where(JsonProcessingException e) {
    return e.getLocation() == null
        ? ""
        : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
  }

  private static String pointer(JsonMappingException mapping) {
    StringBuilder pointer = new StringBuilder();
    for (JsonMappingException.Reference ref : mapping.getPath()) {
      pointer.append('/').append(ref.getFieldName() != null ? ref.getFieldName() : ref.getIndex());
    }
    return pointer.toString();
  }

  @ServerExceptionMapper
  public Response web(WebApplicationException e, HttpServerRequest request) {
    int status = e.getResponse().getStatus();
    // The JSON reader reports a body it cannot parse as a bare 400 around the parser's error.
    if (status == 400 && e.getCause() instanceof JsonProcessingException unreadable) {
      return unreadableBody(unreadable);
    }
    // Task routes are served by a POST on any path, so another method on a path that is no
    // route at all would be told 405 instead of 404.
    String detail = e.getMessage();
    if (status == 405 && !routes.exists(request.path())) {
      status = 404;
      detail = "nothing is served at " + request.path();
    }
    if (status >= 500) {
      return unexpected(e);
    }
    String title =
        Response.Status.fromStatusCode(status) == null
            ? "Request refused"
            : Response.Status.fromStatusCode(status).getReasonPhrase();
    Problem problem = Problem.of(status, title, detail, List.of());
    LOG.debugf("errorId=%s %d %s", problem.errorId(), status, detail);
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
