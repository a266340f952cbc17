package dev.vse.incident;

import java.time.Duration;
import java.util.Objects;

/**
 * How Veeam retries a failed run of one job: up to {@code retries} new sessions, each {@code timeout} after the
 * previous attempt ended (the job's {@code JobScheduleOptions/RetryOptions}: {@code RetryTimes},
 * {@code RetryTimeout} in minutes, {@code RetrySpecified}).
 *
 * @param retries how many retries follow a failed run (0: none)
 * @param timeout the wait between a failed attempt and its retry
 * @param source  where this came from: {@link #FROM_JOB}, {@link #ASSUMED} or {@link #NOT_AWARE}
 */
public record RetryPolicy(int retries, Duration timeout, String source) {
    /** Read from the job's entity on EM. */
    public static final String FROM_JOB = "job";
    /** The job could not be read: Veeam's defaults assumed (3 retries, 10 minutes). */
    public static final String ASSUMED = "assumed";
    /** {@code ALERTS_RETRY_AWARE=false}: every failure is final. */
    public static final String NOT_AWARE = "off";

    /** Veeam's defaults for a new job, used while a job's own options cannot be read. */
    public static final RetryPolicy VEEAM_DEFAULT = new RetryPolicy(3, Duration.ofMinutes(10), ASSUMED);
    /** No retries at all (retry-aware alerts off). */
    public static final RetryPolicy NONE = new RetryPolicy(0, Duration.ZERO, NOT_AWARE);

    public RetryPolicy {
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(source, "source");
        if (retries < 0) {
            throw new IllegalArgumentException("retries must be >= 0: " + retries);
        }
    }

    /**
     * From the job's {@code RetryOptions} as EM gives them (any of them may be absent): retries only when
     * {@code RetrySpecified} is true and {@code RetryTimes} positive.
     */
    public static RetryPolicy fromJob(Boolean retrySpecified, Integer retryTimes, Integer retryTimeoutMinutes) {
        if (!Boolean.TRUE.equals(retrySpecified) || retryTimes == null || retryTimes <= 0) {
            return new RetryPolicy(0, Duration.ZERO, FROM_JOB);
        }
        int minutes = retryTimeoutMinutes == null || retryTimeoutMinutes < 0 ? 0 : retryTimeoutMinutes;
        return new RetryPolicy(retryTimes, Duration.ofMinutes(minutes), FROM_JOB);
    }
}
