package org.kfm.tasks.worker.tasks.ml;

import java.time.Instant;
import java.util.UUID;

/**
 * What the models learn from and score: a stored simulation run's parameters and the statistics the
 * simulation produced for them.
 */
record RunRow(
    UUID jobId,
    String scenarioId,
    double annualEventRate,
    int horizonYears,
    double mu,
    double sigma,
    double mean,
    double p95,
    Instant finishedAt) {}
