package org.kfm.tasks.api.projection;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapPropagator;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.kfm.tasks.contracts.JobEvent;

/**
 * One span per status event projected, in the trace of the attempt that sent it (its record's trace
 * context), so a job's trace shows when each of its events reached its row. A batch's spans end
 * together, when its transaction does.
 */
@ApplicationScoped
class ProjectionSpans {
  static final String PREFIX = "project ";

  private final Tracer tracer;
  private final TextMapPropagator propagator;

  ProjectionSpans(Tracer tracer, OpenTelemetry openTelemetry) {
    this.tracer = tracer;
    this.propagator = openTelemetry.getPropagators().getTextMapPropagator();
  }

  /** A span for each event, parented by the trace context of the record it came in. */
  List<Span> start(List<ConsumerRecord<String, String>> records, List<JobEvent> events) {
    List<Span> spans = new ArrayList<>(events.size());
    for (int i = 0; i < events.size(); i++) {
      JobEvent event = events.get(i);
      Context parent = propagator.extract(Context.root(), records.get(i).headers(), HEADERS);
      spans.add(
          tracer
              .spanBuilder(PREFIX + event.type().wireName())
              .setParent(parent)
              .setAttribute("kfm.job.id", event.jobId().toString())
              .setAttribute("kfm.attempt", event.attempt())
              .setAttribute("kfm.event.type", event.type().wireName())
              .startSpan());
    }
    return spans;
  }

  static void end(List<Span> spans, Throwable failure) {
    for (Span span : spans) {
      if (failure != null) {
        span.setStatus(StatusCode.ERROR, failure.getClass().getSimpleName());
      }
      span.end();
    }
  }

  private static final TextMapGetter<Headers> HEADERS =
      new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Headers headers) {
          List<String> keys = new ArrayList<>();
          headers.forEach(header -> keys.add(header.key()));
          return keys;
        }

        @Override
        public String get(Headers headers, String key) {
          if (headers == null) {
            return null;
          }
          Header header = headers.lastHeader(key);
          return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
        }
      };
}
