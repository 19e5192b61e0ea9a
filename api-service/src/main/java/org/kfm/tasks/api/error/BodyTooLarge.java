package org.kfm.tasks.api.error;

import java.util.List;

/**
 * A request body over {@code quarkus.http.limits.max-body-size}. Answered 413 problem+json; when it
 * is found while the body is being read, the rest is left unread and the connection is closed.
 */
public class BodyTooLarge extends ApiProblem {
  public static final String TITLE = "Payload too large";

  public BodyTooLarge(long maxBytes) {
    super(413, TITLE, detail(maxBytes), List.of());
  }

  public static String detail(long maxBytes) {
    return "the request body may hold at most " + maxBytes + " bytes";
  }
}
