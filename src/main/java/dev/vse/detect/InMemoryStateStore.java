package dev.vse.detect;

import java.time.Instant;
import java.util.Collection;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/** A {@link StateStore} that forgets everything on restart: for tests and throw-away demos. */
public final class InMemoryStateStore extends SessionTableStore {
    private final Map<String, SessionTable> tables = new ConcurrentHashMap<>();

    @Override
    SessionTable table(String emId) {
        return tables.computeIfAbsent(emId, SessionTable::new);
    }

    @Override
    public synchronized void commit(String emId, Collection<SessionSnapshot> snapshots,
                                    Collection<IncidentEntry> incidents) {
        incidents.forEach(table(emId)::incident);
        table(emId).putAll(snapshots);
    }

    @Override
    public synchronized void commitWatermark(String emId, String sessionType, Instant watermark) {
        table(emId).watermark(sessionType, watermark);
    }

    @Override
    public synchronized void commitBaseline(String emId, String sessionType, Instant at) {
        Objects.requireNonNull(sessionType, "sessionType");
        Objects.requireNonNull(at, "at");
        table(emId).baseline(sessionType, at);
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
