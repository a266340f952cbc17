package dev.vse.detect;

import java.time.Instant;
import java.util.AbstractCollection;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The in-memory state of one EM: sessions by UID, an index of the running ones, watermarks and
 * baseline instants per session type. Sessions are held in the compact form of {@link CompactSessions} (about
 * 130 bytes each) and converted from and to {@link SessionSnapshot} on the way in and out.
 * Reads are lock-free; callers serialise writes.
 */
final class SessionTable {
    private final CompactSessions form;
    /** {@link CompactSessions#key} to {@link CompactSessions#encode}. */
    private final Map<Object, Object> sessions = new ConcurrentHashMap<>();
    private final Set<Object> running = ConcurrentHashMap.newKeySet();
    private final Map<String, Instant> watermarks = new ConcurrentHashMap<>();
    private final Map<String, Instant> baselines = new ConcurrentHashMap<>();
    private final Map<String, String> incidents = new ConcurrentHashMap<>();

    /** @param emId the EM whose sessions this holds (snapshots of another EM id are kept too, just not compact) */
    SessionTable(String emId) {
        this.form = new CompactSessions(emId);
    }

    Optional<SessionSnapshot> get(String uid) {
        Object key = form.key(uid, false);
        Object value = key == null ? null : sessions.get(key);
        return value == null ? Optional.empty() : Optional.of(form.decode(key, uid, value));
    }

    void put(SessionSnapshot snapshot) {
        Object key = form.key(snapshot.uid(), true);
        sessions.put(key, form.encode(key, snapshot));
        if (snapshot.isRunning()) {
            running.add(key);
        } else {
            running.remove(key);
        }
    }

    void putAll(Collection<SessionSnapshot> snapshots) {
        snapshots.forEach(this::put);
    }

    List<SessionSnapshot> unfinished(String sessionType) {
        List<SessionSnapshot> result = new ArrayList<>();
        for (Object key : running) {
            Object value = sessions.get(key);
            if (value != null) {
                SessionSnapshot s = form.decode(key, form.uid(key), value);
                if (sessionType.equals(s.sessionType())) {
                    result.add(s);
                }
            }
        }
        return result;
    }

    /** Removes Stopped sessions that ended (or, lacking EndTime, last changed) before the instant. */
    int prune(Instant stoppedBefore) {
        int before = sessions.size();
        long bound = CompactSessions.fits(stoppedBefore) ? CompactSessions.micros(stoppedBefore) : CompactSessions.NONE;
        sessions.values().removeIf(v -> form.prunable(v, stoppedBefore, bound));
        return before - sessions.size();
    }

    /** The UIDs {@link #prune} would remove now (what the Kafka store writes tombstones for). */
    List<String> prunable(Instant stoppedBefore) {
        long bound = CompactSessions.fits(stoppedBefore) ? CompactSessions.micros(stoppedBefore) : CompactSessions.NONE;
        List<String> uids = new ArrayList<>();
        sessions.forEach((key, value) -> {
            if (form.prunable(value, stoppedBefore, bound)) {
                uids.add(form.uid(key));
            }
        });
        return List.copyOf(uids);
    }

    /** Removes these sessions; UIDs that are not tracked are ignored. */
    void forget(Collection<String> uids) {
        for (String uid : uids) {
            Object key = form.key(uid, false);
            if (key != null) {
                sessions.remove(key);
                running.remove(key);
            }
        }
    }

    /** The subset of {@code uids} that is tracked, in their order, without duplicates. */
    List<String> tracked(Collection<String> uids) {
        return uids.stream().filter(this::contains).distinct().toList();
    }

    private boolean contains(String uid) {
        Object key = form.key(uid, false);
        return key != null && sessions.containsKey(key);
    }

    /** A view of every session, decoded as it is iterated. */
    Collection<SessionSnapshot> all() {
        return new AbstractCollection<>() {
            @Override
            public Iterator<SessionSnapshot> iterator() {
                Iterator<Map.Entry<Object, Object>> entries = sessions.entrySet().iterator();
                return new Iterator<>() {
                    @Override
                    public boolean hasNext() {
                        return entries.hasNext();
                    }

                    @Override
                    public SessionSnapshot next() {
                        Map.Entry<Object, Object> e = entries.next();
                        return form.decode(e.getKey(), form.uid(e.getKey()), e.getValue());
                    }
                };
            }

            @Override
            public int size() {
                return sessions.size();
            }
        };
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
}
