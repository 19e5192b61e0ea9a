package org.kfm.tasks.api.input;

import io.quarkus.runtime.configuration.MemorySize;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.List;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.vertx.VertxInputStream;
import org.kfm.tasks.api.error.BodyTooLarge;
import org.kfm.tasks.api.error.Problem;
import org.kfm.tasks.contracts.Wire;

/**
 * Refuses a body larger than {@code quarkus.http.limits.max-body-size} with problem+json, before
 * any of it is read. The server's own check answers the same 413 with an empty body, which a client
 * cannot tell from a proxy's; this runs first for every body that declares its length. A chunked
 * body has no declared length: the server would cut it off where it is read, again with a bare 413,
 * so for those {@link BodyLimit} counts it as it is read and refuses it with problem+json; the
 * server's own cut-off stays behind it, at twice the limit, for a body read some other way.
 */
@ApplicationScoped
public class BodySizeGuard {
  private static final Logger LOG = Logger.getLogger(BodySizeGuard.class);
  // Before the artifact path guard (-210) and the server's own upload limit (-2).
  private static final int ORDER = -250;
  // After the server's upload limit (-2), which marks a body of no declared length to be cut off
  // where it is read; before any route that reads one.
  private static final int UNDECLARED_ORDER = -1;

  private final long maxBytes;

  public BodySizeGuard(
      @ConfigProperty(name = "quarkus.http.limits.max-body-size") MemorySize maxBodySize) {
    this.maxBytes = maxBodySize.asLongValue();
  }

  void register(@Observes Router router) {
    router.route().order(ORDER).handler(this::check);
    router.route().order(UNDECLARED_ORDER).handler(this::leaveUndeclaredToBodyLimit);
  }

  private void leaveUndeclaredToBodyLimit(RoutingContext context) {
    if (context.get(VertxInputStream.MAX_REQUEST_SIZE_KEY) != null) {
      context.put(VertxInputStream.MAX_REQUEST_SIZE_KEY, 2 * maxBytes);
    }
    context.next();
  }

  private void check(RoutingContext context) {
    String declared = context.request().getHeader(HttpHeaders.CONTENT_LENGTH);
    if (declared == null || length(declared) <= maxBytes) {
      context.next();
      return;
    }
    Problem problem = Problem.of(413, BodyTooLarge.TITLE, BodyTooLarge.detail(maxBytes), List.of());
    LOG.debugf(
        "errorId=%s body of %s bytes refused on %s",
        problem.errorId(), declared, context.normalizedPath());
    // The unread body would otherwise be drained first; closing saves reading megabytes for
    // nothing.
    context
        .response()
        .setStatusCode(413)
        .putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE)
        .putHeader(HttpHeaders.CONNECTION, "close")
        .end(Wire.toJson(problem));
  }

  private static long length(String declared) {
    try {
      return Long.parseLong(declared.trim());
    } catch (NumberFormatException e) {
      // The server refuses a malformed length itself.
      return 0;
    }
  }
}
