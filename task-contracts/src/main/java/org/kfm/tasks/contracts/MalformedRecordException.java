package org.kfm.tasks.contracts;

/** A record that cannot be read as the contract it should carry; it belongs in the DLQ. */
public class MalformedRecordException extends RuntimeException {
  public MalformedRecordException(String message, Throwable cause) {
    super(message, cause);
  }

  public MalformedRecordException(String message) {
    super(message);
  }
}
