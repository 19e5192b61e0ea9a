package org.kfm.tasks.api.artifact;

import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;
import org.kfm.tasks.api.error.Problem;
import org.kfm.tasks.artifacts.ArtifactNames;
import org.kfm.tasks.contracts.FieldError;
import org.kfm.tasks.contracts.Wire;

/**
 * Refuses an artifact download whose name, as the client wrote it, is not a plain artifact name.
 * The router resolves dot segments ({@code ../}, {@code %2e%2e}) before any resource sees the path,
 * which would turn {@code /jobs/{id}/artifacts/..} into another resource; this looks at the raw
 * request line first, so {@code ..}, {@code ../x}, {@code %2e%2e%2f} and {@code a%2Fb} all end here
 * with 400 and field {@code /name}. The resource checks the decoded name again.
 */
@ApplicationScoped
public class ArtifactPathGuard {
  private static final Logger LOG = Logger.getLogger(ArtifactPathGuard.class);
  // Before the admission filter (-100), like the batch path alias.
  private static final int ORDER = -210;
  private static final String PREFIX = "/api/v1/jobs/";
  private static final Pattern RAW_DOWNLOAD =
      Pattern.compile("^/api/v1/jobs/[^/]+/artifacts/(.+)$");

  void register(@Observes Router router) {
    // Every path: dot segments may have led the normalized path anywhere.
    router.route().order(ORDER).handler(this::check);
  }

  private void check(RoutingContext context) {
    String uri = context.request().uri();
    if (!uri.startsWith(PREFIX)) {
      context.next();
      return;
    }
    int query = uri.indexOf('?');
    Matcher raw = RAW_DOWNLOAD.matcher(query < 0 ? uri : uri.substring(0, query));
    if (!raw.matches() || ArtifactNames.isValid(decoded(raw.group(1)))) {
      context.next();
      return;
    }
    String message = "not an artifact name: use the name the job's artifact list shows";
    Problem problem =
        Problem.of(400, "Invalid request", message, List.of(new FieldError("/name", message)));
    LOG.debugf("errorId=%s artifact path refused", problem.errorId());
    context
        .response()
        .setStatusCode(400)
        .putHeader("Content-Type", Problem.MEDIA_TYPE)
        .end(Wire.toJson(problem));
  }

  private static String decoded(String segment) {
    try {
      return URLDecoder.decode(segment.replace("+", "%2B"), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }
}
