package org.kfm.tasks.api.error;

import io.vertx.core.VertxException;
import io.vertx.sqlclient.ClosedConnectionException;
import java.net.ConnectException;

/** Recognises a database that cannot be reached, as opposed to a bug. */
final class Unavailable {
  static final String RETRY_AFTER_SECONDS = "5";

  private Unavailable() {}

  static boolean isDatabaseOutage(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof ConnectException || t instanceof ClosedConnectionException) {
        return true;
      }
      // The pool reports an exhausted wait or a refused connection without a typed cause.
      if (t instanceof VertxException
          && t.getMessage() != null
          && (t.getMessage().contains("Connection refused")
              || t.getMessage().contains("Timeout")
              || t.getMessage().contains("closed"))) {
        return true;
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return false;
  }
}
