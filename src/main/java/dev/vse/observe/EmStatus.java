package dev.vse.observe;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What is known about one EM right now: when a cycle last ended and when one last succeeded (every page read,
 * window advanced), per session type; its {@link EmState} and the last error (one line, no secret); how many
 * events were published since start; how many sessions the state store tracks and how many of them run.
 * Written by the poll cycles, read by the health checks, the meters and the heartbeats. Thread-safe.
 */
public final class EmStatus {
    private final String emId;
    private final String url;
    private final List<String> sessionTypes;
    private final Map<String, Instant> lastSuccessful = new ConcurrentHashMap<>();
    private final AtomicLong eventsPublished = new AtomicLong();
    private volatile Instant lastCycleAt;
    private volatile EmState state = EmState.OK;
    private volatile String lastError;
    private volatile long sessionsTracked;
    private volatile long sessionsRunning;
    private volatile String givenUp;

    EmStatus(String emId, String url, List<String> sessionTypes) {
        this.emId = emId;
        this.url = url;
        this.sessionTypes = List.copyOf(sessionTypes);
    }

    public String emId() { return emId; }
    /** The EM API base URL as configured ({@code ce_source} of its heartbeats). */
    public String url() { return url; }
    public List<String> sessionTypes() { return sessionTypes; }
    /** When the latest cycle of any session type ended, either way; null before the first. */
    public Instant lastCycleAt() { return lastCycleAt; }
    /** When the latest successful cycle of {@code sessionType} ended. */
    public Optional<Instant> lastSuccessfulCycleAt(String sessionType) {
        return Optional.ofNullable(lastSuccessful.get(sessionType));
    }
    /** The latest successful cycle of any session type; null before the first. */
    public Instant lastSuccessfulCycleAt() {
        return lastSuccessful.values().stream().max(Instant::compareTo).orElse(null);
    }
    /**
     * The oldest of the session types' latest successful cycles: the EM is as healthy as its least fresh session
     * type. Empty while some session type has not succeeded yet.
     */
    public Optional<Instant> leastRecentSuccess() {
        if (!lastSuccessful.keySet().containsAll(sessionTypes)) {
            return Optional.empty();
        }
        return lastSuccessful.values().stream().min(Instant::compareTo);
    }
    public EmState state() { return state; }
    /** Why this instance gave the EM up (fenced by another instance, leadership lost); null while it polls it. */
    public String givenUp() { return givenUp; }
    void givenUp(String reason) { this.givenUp = reason; }
    /** One line, no secret; null while the state is ok. */
    public String lastError() { return lastError; }
    public long eventsPublished() { return eventsPublished.get(); }
    public long sessionsTracked() { return sessionsTracked; }
    public long sessionsRunning() { return sessionsRunning; }

    void cycleSucceeded(String sessionType, Instant at) {
        lastCycleAt = at;
        lastSuccessful.put(sessionType, at);
        state = EmState.OK;
        lastError = null;
    }

    /** A cycle that read EM but kept its window (a response parked whole): EM answered, Kafka acknowledged. */
    void cycleIncomplete(Instant at) {
        lastCycleAt = at;
        state = EmState.OK;
        lastError = null;
    }

    void cycleFailed(EmState s, String error, Instant at) {
        lastCycleAt = at;
        state = s;
        lastError = error;
    }

    void published(long n) {
        eventsPublished.addAndGet(n);
    }

    void sessions(long tracked, long running) {
        sessionsTracked = tracked;
        sessionsRunning = running;
    }
}
