package org.kfm.tasks.contracts;

/** A handler's way to fail with a stable error code and say whether retrying can help. */
public class TaskFailure extends RuntimeException {
  private final String code;
  private final boolean retryable;

  public TaskFailure(String code, String message, boolean retryable) {
    super(message);
    this.code = code;
    this.retryable = retryable;
  }

  public static TaskFailure permanent(String code, String message) {
    return new TaskFailure(code, message, false);
  }

  public static TaskFailure transientFailure(String code, String message) {
    return new TaskFailure(code, message, true);
  }

  public String code() {
    return code;
  }

  public boolean retryable() {
    return retryable;
  }
}
