package org.kfm.tasks.api.trace;

import com.fasterxml.jackson.databind.JsonNode;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A job's trace is the trace of the request (or event) that created it. Its W3C {@code traceparent}
 * is recorded in the job's lineage, so that every command of the job, whenever and by whichever
 * path it is published (at once, by the dispatcher after a failed publish, a delay or a retry's
 * backoff), continues that trace rather than starting one of its own.
 */
public final class JobTraces {
  public static final String LINEAGE_FIELD = "traceparent";

  private static final TextMapGetter<Map<String, String>> MAP =
      new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Map<String, String> carrier) {
          return carrier.keySet();
        }

        @Override
        public String get(Map<String, String> carrier, String key) {
          return carrier == null ? null : carrier.get(key);
        }
      };

  private JobTraces() {}

  /** The trace id of the current span, or null outside any trace. */
  public static String currentTraceId() {
    SpanContext context = Span.current().getSpanContext();
    return context.isValid() ? context.getTraceId() : null;
  }

  /** The current span as a W3C {@code traceparent}, or null outside any trace. */
  public static String currentTraceparent() {
    return traceparentOf(Span.current().getSpanContext());
  }

  /** A span's context as a W3C {@code traceparent}, or null when it is not valid. */
  public static String traceparentOf(SpanContext context) {
    if (!context.isValid()) {
      return null;
    }
    return String.join(
        "-",
        List.of("00", context.getTraceId(), context.getSpanId(), context.getTraceFlags().asHex()));
  }

  /** The context a job's lineage recorded at submission, when it recorded one. */
  public static Optional<Context> recordedIn(JsonNode lineage) {
    if (lineage == null || !lineage.path(LINEAGE_FIELD).isTextual()) {
      return Optional.empty();
    }
    Context extracted =
        W3CTraceContextPropagator.getInstance()
            .extract(
                Context.root(), Map.of(LINEAGE_FIELD, lineage.path(LINEAGE_FIELD).asText()), MAP);
    return Span.fromContext(extracted).getSpanContext().isValid()
        ? Optional.of(extracted)
        : Optional.empty();
  }
}
