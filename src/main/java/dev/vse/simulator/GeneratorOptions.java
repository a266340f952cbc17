package dev.vse.simulator;

import dev.vse.util.Durations;
import java.time.Duration;

/**
 * Shape of a generated estate (immutable; {@code withX} returns a copy). Defaults: 40 jobs, seed 42, a run per job
 * every 2 min ± 25 %, runs of 15–90 s, 10 % failures, 15 % warnings, failed runs retried after 30 s (up to 2
 * retries, {@code IsRetry=true}), 5 % of runs pass through an undocumented state, 2 h of finished history.
 */
public final class GeneratorOptions {
    final int jobs;
    final long seed;
    final Duration period;
    final double jitter;
    final Duration minDuration;
    final Duration maxDuration;
    final double failureRate;
    final double warningRate;
    final boolean retryOnFailure;
    final Duration retryDelay;
    final int maxRetries;
    final double unknownStateRate;
    final Duration history;
    final int maxVmsPerJob;

    private GeneratorOptions(int jobs, long seed, Duration period, double jitter, Duration minDuration, Duration maxDuration,
            double failureRate, double warningRate, boolean retryOnFailure, Duration retryDelay, int maxRetries,
            double unknownStateRate, Duration history, int maxVmsPerJob) {
        if (jobs < 0 || period.isZero() || period.isNegative() || minDuration.compareTo(maxDuration) > 0
                || minDuration.isNegative() || history.isNegative() || failureRate < 0 || warningRate < 0
                || failureRate + warningRate > 1 || maxVmsPerJob < 1) {
            throw new IllegalArgumentException("invalid generator options");
        }
        this.jobs = jobs;
        this.seed = seed;
        this.period = period;
        this.jitter = jitter;
        this.minDuration = minDuration;
        this.maxDuration = maxDuration;
        this.failureRate = failureRate;
        this.warningRate = warningRate;
        this.retryOnFailure = retryOnFailure;
        this.retryDelay = retryDelay;
        this.maxRetries = maxRetries;
        this.unknownStateRate = unknownStateRate;
        this.history = history;
        this.maxVmsPerJob = maxVmsPerJob;
    }

    public static GeneratorOptions defaults() {
        return new GeneratorOptions(40, 42L, Duration.ofMinutes(2), 0.25, Duration.ofSeconds(15), Duration.ofSeconds(90),
                0.10, 0.15, true, Duration.ofSeconds(30), 2, 0.05, Duration.ofHours(2), 3);
    }

    private GeneratorOptions copy(int jobs, long seed, Duration period, Duration minD, Duration maxD, double fail, double warn,
            boolean retry, Duration retryDelay, double unknown, Duration history) {
        return new GeneratorOptions(jobs, seed, period, jitter, minD, maxD, fail, warn, retry, retryDelay, maxRetries, unknown,
                history, maxVmsPerJob);
    }

    public GeneratorOptions withJobs(int n) { return copy(n, seed, period, minDuration, maxDuration, failureRate, warningRate, retryOnFailure, retryDelay, unknownStateRate, history); }
    public GeneratorOptions withSeed(long s) { return copy(jobs, s, period, minDuration, maxDuration, failureRate, warningRate, retryOnFailure, retryDelay, unknownStateRate, history); }
    public GeneratorOptions withPeriod(Duration p) { return copy(jobs, seed, p, minDuration, maxDuration, failureRate, warningRate, retryOnFailure, retryDelay, unknownStateRate, history); }
    public GeneratorOptions withDuration(Duration min, Duration max) { return copy(jobs, seed, period, min, max, failureRate, warningRate, retryOnFailure, retryDelay, unknownStateRate, history); }
    public GeneratorOptions withFailureRate(double r) { return copy(jobs, seed, period, minDuration, maxDuration, r, warningRate, retryOnFailure, retryDelay, unknownStateRate, history); }
    public GeneratorOptions withWarningRate(double r) { return copy(jobs, seed, period, minDuration, maxDuration, failureRate, r, retryOnFailure, retryDelay, unknownStateRate, history); }
    public GeneratorOptions withRetryOnFailure(boolean b) { return copy(jobs, seed, period, minDuration, maxDuration, failureRate, warningRate, b, retryDelay, unknownStateRate, history); }
    public GeneratorOptions withRetryDelay(Duration d) { return copy(jobs, seed, period, minDuration, maxDuration, failureRate, warningRate, retryOnFailure, d, unknownStateRate, history); }
    public GeneratorOptions withUnknownStateRate(double r) { return copy(jobs, seed, period, minDuration, maxDuration, failureRate, warningRate, retryOnFailure, retryDelay, r, history); }
    public GeneratorOptions withHistory(Duration h) { return copy(jobs, seed, period, minDuration, maxDuration, failureRate, warningRate, retryOnFailure, retryDelay, unknownStateRate, h); }

    public int jobs() { return jobs; }
    public long seed() { return seed; }
    public Duration period() { return period; }
    public Duration history() { return history; }
    public double failureRate() { return failureRate; }
    public double warningRate() { return warningRate; }

    @Override
    public String toString() {
        return "generator(jobs=" + jobs + ", seed=" + seed + ", period=" + Durations.format(period) + ", history="
                + Durations.format(history) + ", failure=" + failureRate + ", warning=" + warningRate + ")";
    }
}
