package dev.vse.pipeline;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * When the reconciliation cycle (sweep) of an EM and session type is due: every {@code POLL_SWEEP_INTERVAL},
 * counted from the start of the process and then from the start of the last sweep that completed; a sweep
 * that failed is due again at the next cycle. Interval zero turns sweeps off.
 */
public final class SweepSchedule {
    private final Duration interval;
    private final Duration lookback;
    private final Instant firstDue;
    private final Map<String, Instant> next = new ConcurrentHashMap<>();

    public SweepSchedule(Duration interval, Duration lookback, Instant processStart) {
        this.interval = interval;
        this.lookback = lookback;
        this.firstDue = processStart.plus(interval);
    }

    public boolean enabled() {
        return !interval.isZero();
    }

    /** How far back a sweep reads. */
    public Duration lookback() {
        return lookback;
    }

    public boolean due(String emId, String sessionType, Instant now) {
        return enabled() && !now.isBefore(next.getOrDefault(key(emId, sessionType), firstDue));
    }

    /** A sweep that started at {@code start} read every response: the next one is due an interval later. */
    public void done(String emId, String sessionType, Instant start) {
        next.put(key(emId, sessionType), start.plus(interval));
    }

    private static String key(String emId, String sessionType) {
        return emId + "/" + sessionType;
    }
}
