package org.kfm.tasks.api.admission;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;
import org.kfm.tasks.api.error.Problem;

/**
 * Sheds API requests beyond the gate's capacity before any work is done for them: no body is read,
 * no token checked, nothing written. Health, metrics and OpenAPI under /q stay outside the gate so
 * that an overloaded instance still answers its probes.
 */
@ApplicationScoped
public class AdmissionFilter {
  private static final Logger LOG = Logger.getLogger(AdmissionFilter.class);
  // Negative, so it runs before the route that serves the REST resources.
  private static final int ORDER = -100;
  private static final Pattern DOWNLOAD = Pattern.compile("/api/v1/jobs/[^/]+/artifacts/[^/]+");

  private final AdmissionGate gate;
  private final ObjectMapper json;
  private final String retryAfterSeconds;

  public AdmissionFilter(AdmissionGate gate, ObjectMapper json, AdmissionConfig config) {
    this.gate = gate;
    this.json = json;
    this.retryAfterSeconds = Long.toString(Math.max(1, config.retryAfter().toSeconds()));
  }

  void register(@Observes Router router) {
    router.route("/api/*").order(ORDER).handler(this::admit);
  }

  private void admit(RoutingContext context) {
    String path = context.normalizedPath();
    AdmissionGate.Kind kind =
        path.endsWith(":batch")
            ? AdmissionGate.Kind.BATCH
            : DOWNLOAD.matcher(path).matches()
                ? AdmissionGate.Kind.DOWNLOAD
                : AdmissionGate.Kind.REQUEST;
    if (!gate.tryEnter(kind)) {
      refuse(context);
      return;
    }
    AtomicBoolean left = new AtomicBoolean();
    // Runs when the response is sent or the connection is lost, so a place is never leaked.
    context.addEndHandler(
        ended -> {
          if (left.compareAndSet(false, true)) {
            gate.leave(kind);
          }
        });
    context.next();
  }

  private void refuse(RoutingContext context) {
    Problem problem =
        Problem.of(
            503,
            "Service unavailable",
            "the service is at capacity; retry after " + retryAfterSeconds + " s",
            List.of());
    LOG.debugf(
        "errorId=%s shed %s %s",
        problem.errorId(), context.request().method(), context.normalizedPath());
    String body;
    try {
      body = json.writeValueAsString(problem);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
    context
        .response()
        .setStatusCode(503)
        .putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE)
        .putHeader("Retry-After", retryAfterSeconds)
        .end(body);
  }
}
