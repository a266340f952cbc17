package dev.vse.simulator;

import dev.vse.util.Durations;
import java.time.Duration;

/**
 * Shape of a generated estate (immutable; {@code withX} returns a copy). Defaults: 40 jobs, seed 42, a run per job
 * every 2 min ± 25 %, runs of 15–90 s, 10 % failures, 15 % warnings, 5 % of runs pass through an undocumented state,
 * 2 h of finished history.
 *
 * <p>Retries follow each job's retry policy, drawn from its seed: 25 % of the jobs have retries off
 * ({@code RetrySpecified=false}), the others 1 to {@link #withMaxRetries max} (3) retries, {@link #withRetryTimeout
 * retry timeout} (2 min) apart. A retry fails with {@link #withRetryFailureRate retry failure rate} (0.5), else
 * succeeds; 30 % of the retry sessions carry {@code IsRetry=false} ({@link #withUnflaggedRetryRate}), as some real
 * captures show.
 */
public final class GeneratorOptions {
    int jobs = 40;
    long seed = 42L;
    Duration period = Duration.ofMinutes(2);
    double jitter = 0.25;
    Duration minDuration = Duration.ofSeconds(15);
    Duration maxDuration = Duration.ofSeconds(90);
    double failureRate = 0.10;
    double warningRate = 0.15;
    Duration retryTimeout = Duration.ofMinutes(2);
    int maxRetries = 3;
    double retryOffRate = 0.25;
    double retryFailureRate = 0.5;
    double unflaggedRetryRate = 0.3;
    double unknownStateRate = 0.05;
    Duration history = Duration.ofHours(2);
    int maxVmsPerJob = 3;

    private GeneratorOptions() { }

    public static GeneratorOptions defaults() {
        return new GeneratorOptions();
    }

    private GeneratorOptions copy() {
        GeneratorOptions c = new GeneratorOptions();
        c.jobs = jobs;
        c.seed = seed;
        c.period = period;
        c.jitter = jitter;
        c.minDuration = minDuration;
        c.maxDuration = maxDuration;
        c.failureRate = failureRate;
        c.warningRate = warningRate;
        c.retryTimeout = retryTimeout;
        c.maxRetries = maxRetries;
        c.retryOffRate = retryOffRate;
        c.retryFailureRate = retryFailureRate;
        c.unflaggedRetryRate = unflaggedRetryRate;
        c.unknownStateRate = unknownStateRate;
        c.history = history;
        c.maxVmsPerJob = maxVmsPerJob;
        return c;
    }

    private GeneratorOptions checked() {
        if (jobs < 0 || period.isZero() || period.isNegative() || minDuration.compareTo(maxDuration) > 0
                || minDuration.isNegative() || history.isNegative() || failureRate < 0 || warningRate < 0
                || failureRate + warningRate > 1 || maxVmsPerJob < 1 || retryTimeout.isNegative() || maxRetries < 1
                || !isRate(retryOffRate) || !isRate(retryFailureRate) || !isRate(unflaggedRetryRate)) {
            throw new IllegalArgumentException("invalid generator options");
        }
        return this;
    }

    private static boolean isRate(double r) {
        return r >= 0 && r <= 1;
    }

    public GeneratorOptions withJobs(int n) { GeneratorOptions c = copy(); c.jobs = n; return c.checked(); }
    public GeneratorOptions withSeed(long s) { GeneratorOptions c = copy(); c.seed = s; return c.checked(); }
    public GeneratorOptions withPeriod(Duration p) { GeneratorOptions c = copy(); c.period = p; return c.checked(); }
    public GeneratorOptions withDuration(Duration min, Duration max) {
        GeneratorOptions c = copy(); c.minDuration = min; c.maxDuration = max; return c.checked();
    }
    public GeneratorOptions withFailureRate(double r) { GeneratorOptions c = copy(); c.failureRate = r; return c.checked(); }
    public GeneratorOptions withWarningRate(double r) { GeneratorOptions c = copy(); c.warningRate = r; return c.checked(); }
    /** Time between a failed run's end and its retry, for every job with retries (served rounded up to minutes). */
    public GeneratorOptions withRetryTimeout(Duration d) { GeneratorOptions c = copy(); c.retryTimeout = d; return c.checked(); }
    /** Jobs with retries draw {@code RetryTimes} from 1..n. */
    public GeneratorOptions withMaxRetries(int n) { GeneratorOptions c = copy(); c.maxRetries = n; return c.checked(); }
    /** Share of jobs with retries off ({@code RetrySpecified=false}); 1 = no retries at all. */
    public GeneratorOptions withRetryOffRate(double r) { GeneratorOptions c = copy(); c.retryOffRate = r; return c.checked(); }
    /** Chance that a retry fails again. */
    public GeneratorOptions withRetryFailureRate(double r) { GeneratorOptions c = copy(); c.retryFailureRate = r; return c.checked(); }
    /** Share of retry sessions that carry {@code IsRetry=false}. */
    public GeneratorOptions withUnflaggedRetryRate(double r) { GeneratorOptions c = copy(); c.unflaggedRetryRate = r; return c.checked(); }
    public GeneratorOptions withUnknownStateRate(double r) { GeneratorOptions c = copy(); c.unknownStateRate = r; return c.checked(); }
    public GeneratorOptions withHistory(Duration h) { GeneratorOptions c = copy(); c.history = h; return c.checked(); }

    public int jobs() { return jobs; }
    public long seed() { return seed; }
    public Duration period() { return period; }
    public Duration history() { return history; }
    public double failureRate() { return failureRate; }
    public double warningRate() { return warningRate; }
    public Duration retryTimeout() { return retryTimeout; }

    @Override
    public String toString() {
        return "generator(jobs=" + jobs + ", seed=" + seed + ", period=" + Durations.format(period) + ", history="
                + Durations.format(history) + ", failure=" + failureRate + ", warning=" + warningRate + ", retryTimeout="
                + Durations.format(retryTimeout) + ", maxRetries=" + maxRetries + ", retryOff=" + retryOffRate + ")";
    }
}
