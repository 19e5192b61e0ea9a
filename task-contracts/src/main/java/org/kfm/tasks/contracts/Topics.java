package org.kfm.tasks.contracts;

/** Kafka topic names; they are part of the wire contract between services. */
public final class Topics {
  public static final String TASKS_PREFIX = "kfm.tasks.";
  public static final String JOB_EVENTS = "kfm.job-events";
  public static final String JOB_CONTROL = "kfm.job-control";
  public static final String DOMAIN_EVENTS_PREFIX = "kfm.events.";
  public static final String DLQ_PREFIX = "kfm.dlq.";

  /** W3C trace context travels in this record header. */
  public static final String TRACEPARENT_HEADER = "traceparent";

  private Topics() {}

  public static String deadLetterOf(String topic) {
    return DLQ_PREFIX + topic;
  }
}
