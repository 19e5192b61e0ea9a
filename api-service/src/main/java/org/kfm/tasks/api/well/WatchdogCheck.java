package org.kfm.tasks.api.well;

import io.smallrye.health.api.Wellness;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.Map;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;

/**
 * The queue watchdog at {@code /q/health/well}: DOWN, with each problem and why, when jobs pile up,
 * a task fails repeatedly, the projection stalls or a DLQ holds records. A wellness check, not a
 * readiness or liveness one: none of these is cured by restarting or unrouting this pod, so the
 * orchestrator must not act on it; alerts and people do.
 */
@Wellness
@ApplicationScoped
public class WatchdogCheck implements HealthCheck {
  private final JobWatch jobs;
  private final KafkaWatch kafka;
  private final WellConfig config;

  public WatchdogCheck(JobWatch jobs, KafkaWatch kafka, WellConfig config) {
    this.jobs = jobs;
    this.kafka = kafka;
    this.config = config;
  }

  @Override
  public HealthCheckResponse call() {
    Map<String, String> problems =
        WellnessRules.problems(jobs.last(), kafka.last(), config, Instant.now());
    HealthCheckResponseBuilder response =
        HealthCheckResponse.named("queue-watchdog").status(problems.isEmpty());
    problems.forEach(response::withData);
    return response.build();
  }
}
