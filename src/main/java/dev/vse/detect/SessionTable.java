package dev.vse.detect;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The in-memory state of one EM: sessions by UID, an index of the running ones, watermarks and
 * baseline instants per session type. Repeated strings (job names, states, types...) are shared to keep the heap small.
 * Reads are lock-free; callers serialise writes.
 */
final class SessionTable {
    private final Map<String, SessionSnapshot> sessions = new ConcurrentHashMap<>();
    private final Set<String> running = ConcurrentHashMap.newKeySet();
    private final Map<String, Instant> watermarks = new ConcurrentHashMap<>();
    private final Map<String, Instant> baselines = new ConcurrentHashMap<>();
    private final Map<String, String> incidents = new ConcurrentHashMap<>();
    private final Map<String, String> pool = new ConcurrentHashMap<>();

    Optional<SessionSnapshot> get(String uid) {
        return Optional.ofNullable(sessions.get(uid));
    }

    void put(SessionSnapshot snapshot) {
        SessionSnapshot s = snapshot.canonical(this::share);
        sessions.put(s.uid(), s);
        if (s.isRunning()) {
            running.add(s.uid());
        } else {
            running.remove(s.uid());
        }
    }

    void putAll(Collection<SessionSnapshot> snapshots) {
        snapshots.forEach(this::put);
    }

    List<SessionSnapshot> unfinished(String sessionType) {
        List<SessionSnapshot> result = new ArrayList<>();
        for (String uid : running) {
            SessionSnapshot s = sessions.get(uid);
            if (s != null && s.sessionType().equals(sessionType)) {
                result.add(s);
            }
        }
        return result;
    }

    /** Removes Stopped sessions that ended (or, lacking EndTime, last changed) before the instant. */
    int prune(Instant stoppedBefore) {
        int before = sessions.size();
        sessions.values().removeIf(s -> prunable(s, stoppedBefore));
        return before - sessions.size();
    }

    /** The UIDs {@link #prune} would remove now (what the Kafka store writes tombstones for). */
    List<String> prunable(Instant stoppedBefore) {
        return sessions.values().stream().filter(s -> prunable(s, stoppedBefore)).map(SessionSnapshot::uid).toList();
    }

    /** Removes these sessions; UIDs that are not tracked are ignored. */
    void forget(Collection<String> uids) {
        for (String uid : uids) {
            sessions.remove(uid);
            running.remove(uid);
        }
    }

    /** The subset of {@code uids} that is tracked, in their order, without duplicates. */
    List<String> tracked(Collection<String> uids) {
        return uids.stream().filter(sessions::containsKey).distinct().toList();
    }

    Collection<SessionSnapshot> all() {
        return sessions.values();
    }

    int size() {
        return sessions.size();
    }

    Optional<Instant> watermark(String sessionType) {
        return Optional.ofNullable(watermarks.get(sessionType));
    }

    void watermark(String sessionType, Instant at) {
        watermarks.put(sessionType, at);
    }

    Map<String, Instant> watermarks() {
        return Map.copyOf(watermarks);
    }

    Optional<Instant> baseline(String sessionType) {
        return Optional.ofNullable(baselines.get(sessionType));
    }

    /** Records the baseline unless one is already there (the first value wins). */
    void baseline(String sessionType, Instant at) {
        baselines.putIfAbsent(sessionType, at);
    }

    Map<String, Instant> baselines() {
        return Map.copyOf(baselines);
    }

    /** Applies one incident change: stores its state, or removes the job when closed. */
    void incident(IncidentEntry entry) {
        if (entry.state() == null) {
            incidents.remove(entry.jobUid());
        } else {
            incidents.put(entry.jobUid(), entry.state());
        }
    }

    Map<String, String> incidents() {
        return Map.copyOf(incidents);
    }

    private String share(String value) {
        if (value == null) {
            return null;
        }
        String existing = pool.putIfAbsent(value, value);
        return existing == null ? value : existing;
    }

    /** Only Stopped sessions go, and only when they ended (or last changed) before the bound. */
    private static boolean prunable(SessionSnapshot s, Instant stoppedBefore) {
        Instant at = endOrLastChange(s);
        return SessionStates.isStopped(s.state()) && at != null && at.isBefore(stoppedBefore);
    }

    private static Instant endOrLastChange(SessionSnapshot s) {
        return s.endTime() != null ? s.endTime() : s.lastChanged();
    }
}
