package dev.vse.em;

import dev.vse.util.Durations;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Retries EM calls that failed {@link FailureKind#RETRIABLE}ly (5xx, 408, 429, timeouts, resets), with a pause
 * that doubles from {@code firstPause} up to {@code maxPause}. Other kinds are thrown at once: credentials,
 * 4xx and malformed bodies do not heal within seconds (a first 401 was already answered by re-logon in
 * {@link EmClient}). Stateless between calls, so one instance serves every EM and thread.
 */
public final class EmRetry {
    private static final Logger LOG = LoggerFactory.getLogger(EmRetry.class);
    private static final Duration DEFAULT_MAX_PAUSE = Duration.ofSeconds(30);

    private final int retries;
    private final Duration firstPause;
    private final Duration maxPause;

    /** Up to {@code retries} retries, pauses {@code firstPause}, 2×, 4×... capped at 30 s. */
    public EmRetry(int retries, Duration firstPause) {
        this(retries, firstPause, DEFAULT_MAX_PAUSE.compareTo(firstPause) < 0 ? firstPause : DEFAULT_MAX_PAUSE);
    }

    /**
     * @param retries    retries after the first attempt, 0 = none
     * @param firstPause pause before the first retry, doubled before each further one
     * @param maxPause   the longest pause, at least {@code firstPause}
     */
    public EmRetry(int retries, Duration firstPause, Duration maxPause) {
        if (retries < 0) {
            throw new IllegalArgumentException("retries must not be negative, got " + retries);
        }
        if (firstPause.isNegative() || maxPause.compareTo(firstPause) < 0) {
            throw new IllegalArgumentException("need 0 <= first pause <= max pause, got " + firstPause + " and " + maxPause);
        }
        this.retries = retries;
        this.firstPause = firstPause;
        this.maxPause = maxPause;
    }

    /**
     * Runs {@code call}, retrying retriable failures; logs one WARN per retry.
     *
     * @param emId the EM, for the log line
     * @param what what is being done, for the log line (e.g. {@code query page 3}); may be null
     * @return what {@code call} returned
     * @throws EmRequestException the last failure, or the first one that is not retriable, or the one
     *                            pending when the thread was interrupted while pausing (interrupt flag kept)
     */
    public <T> T call(String emId, String what, Supplier<T> call) {
        Objects.requireNonNull(call);
        for (int attempt = 1; ; attempt++) {
            try {
                return call.get();
            } catch (EmRequestException e) {
                if (!e.isRetriable() || attempt > retries) {
                    throw e;
                }
                Duration pause = pauseBefore(attempt);
                LOG.warn("EM {}: {}{} (attempt {} of {}, retrying in {})", emId, what == null ? "" : what + ": ",
                        e.getMessage(), attempt, retries + 1, Durations.format(pause));
                if (!sleep(pause)) {
                    throw e;
                }
            }
        }
    }

    /** The pause after failed attempt {@code attempt} (1-based): first, 2×, 4×..., capped. */
    Duration pauseBefore(int attempt) {
        Duration d = firstPause;
        for (int i = 1; i < attempt && d.compareTo(maxPause) < 0; i++) {
            d = d.multipliedBy(2);
        }
        return d.compareTo(maxPause) > 0 ? maxPause : d;
    }

    private static boolean sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
