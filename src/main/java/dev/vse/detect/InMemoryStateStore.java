package dev.vse.detect;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** A {@link StateStore} that forgets everything on restart: for tests and throw-away demos. */
public final class InMemoryStateStore implements StateStore {
    private final Map<String, SessionTable> tables = new ConcurrentHashMap<>();

    private SessionTable table(String emId) {
        return tables.computeIfAbsent(emId, id -> new SessionTable());
    }

    @Override
    public Optional<SessionSnapshot> get(String emId, String uid) {
        return table(emId).get(uid);
    }

    @Override
    public synchronized void commit(String emId, Collection<SessionSnapshot> snapshots,
                                    Collection<IncidentEntry> incidents) {
        incidents.forEach(table(emId)::incident);
        table(emId).putAll(snapshots);
    }

    @Override
    public Map<String, String> incidents(String emId) {
        return table(emId).incidents();
    }

    @Override
    public List<SessionSnapshot> unfinished(String emId, String sessionType) {
        return table(emId).unfinished(sessionType);
    }

    @Override
    public Optional<Instant> watermark(String emId, String sessionType) {
        return table(emId).watermark(sessionType);
    }

    @Override
    public synchronized void commitWatermark(String emId, String sessionType, Instant watermark) {
        table(emId).watermark(sessionType, watermark);
    }

    @Override
    public Optional<Instant> baseline(String emId, String sessionType) {
        return table(emId).baseline(sessionType);
    }

    @Override
    public synchronized void commitBaseline(String emId, String sessionType, Instant at) {
        Objects.requireNonNull(sessionType, "sessionType");
        Objects.requireNonNull(at, "at");
        table(emId).baseline(sessionType, at);
    }

    @Override
    public int size(String emId) {
        return table(emId).size();
    }

    @Override
    public synchronized void prune(String emId, Instant stoppedBefore) {
        table(emId).prune(stoppedBefore);
    }

    @Override
    public synchronized void forget(String emId, Collection<String> uids) {
        table(emId).forget(uids);
    }

    @Override
    public void close() {
        // nothing to release
    }
}
