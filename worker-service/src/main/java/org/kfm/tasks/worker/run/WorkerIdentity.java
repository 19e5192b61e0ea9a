package org.kfm.tasks.worker.run;

import jakarta.enterprise.context.ApplicationScoped;
import java.net.InetAddress;
import java.net.UnknownHostException;

/** The id this replica puts on status events, so an operator can find the right pod's logs. */
@ApplicationScoped
public class WorkerIdentity {
  private final String id;

  public WorkerIdentity(WorkerConfig config) {
    this.id = config.id().orElseGet(WorkerIdentity::defaultId);
  }

  private static String defaultId() {
    String host;
    try {
      host = InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      host = "worker";
    }
    return host + "-" + ProcessHandle.current().pid();
  }

  public String id() {
    return id;
  }
}
