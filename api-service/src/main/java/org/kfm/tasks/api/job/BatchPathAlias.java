package org.kfm.tasks.api.job;

import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * {@code /api/v1/jobs%3Abatch} names the same resource as {@code /api/v1/jobs:batch} (a client may
 * percent-encode the colon, and many do), but the REST layer matches the raw path and answered 404.
 * The encoded form is rerouted before anything else sees the request, so admission counts it as a
 * batch too.
 */
@ApplicationScoped
public class BatchPathAlias {
  // Before the admission filter (-100), which tells batches apart by the path.
  private static final int ORDER = -200;
  private static final String BATCH_PATH = "/api/v1/jobs:batch";

  void register(@Observes Router router) {
    router.routeWithRegex("(?i)/api/v1/jobs%3Abatch").order(ORDER).handler(this::reroute);
  }

  private void reroute(RoutingContext context) {
    String query = context.request().query();
    context.reroute(query == null ? BATCH_PATH : BATCH_PATH + "?" + query);
  }
}
