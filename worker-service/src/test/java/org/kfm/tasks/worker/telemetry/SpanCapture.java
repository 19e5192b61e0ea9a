package org.kfm.tasks.worker.telemetry;

import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** The tests' span exporter: the SDK hands it every ended span (simple processor, in tests). */
public class SpanCapture {
  @Produces
  @Singleton
  InMemorySpanExporter spans() {
    return InMemorySpanExporter.create();
  }
}
