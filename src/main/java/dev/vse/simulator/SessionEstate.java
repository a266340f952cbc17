package dev.vse.simulator;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * The live data of the backup servers behind the simulated EM: jobs, and job sessions (backup and replica) with
 * their task sessions, in insertion order. Thread-safe; readers get copies. What the API shows is a snapshot of this
 * estate taken at collection boundaries (see {@link SimulatorOptions#withCollectionLag}).
 */
public final class SessionEstate {
    private final Map<String, SimSession> sessions = new LinkedHashMap<>();
    private final Map<String, SimJob> jobs = new LinkedHashMap<>();
    private final AtomicLong version = new AtomicLong();

    /** Adds or replaces a session (keyed by its GUID, case-insensitively). The estate keeps a copy. */
    public synchronized void put(SimSession session) {
        if (session.getId() == null) {
            throw new IllegalArgumentException("session id is required");
        }
        sessions.put(SimSession.key(session.getId()), session.copy());
        version.incrementAndGet();
    }

    /** Applies {@code change} to the stored session; throws {@link NoSuchElementException} for an unknown id. */
    public synchronized void update(String idOrUid, Consumer<SimSession> change) {
        SimSession s = sessions.get(key(idOrUid));
        if (s == null) {
            throw new NoSuchElementException("no session " + idOrUid);
        }
        change.accept(s);
        version.incrementAndGet();
    }

    public void setState(String id, String state) { update(id, s -> s.setState(state)); }
    public void setResult(String id, String result) { update(id, s -> s.setResult(result)); }
    public void setProgress(String id, int progress) { update(id, s -> s.setProgress(progress)); }
    public void setEndTime(String id, java.time.Instant end) { update(id, s -> s.setEndTime(end)); }

    /** A copy of the session, by GUID or UID. */
    public synchronized Optional<SimSession> get(String idOrUid) {
        SimSession s = sessions.get(key(idOrUid));
        return Optional.ofNullable(s == null ? null : s.copy());
    }

    public synchronized boolean contains(String idOrUid) {
        return sessions.containsKey(key(idOrUid));
    }

    public synchronized int size() {
        return sessions.size();
    }

    /** Copies of all sessions in insertion order. */
    public synchronized List<SimSession> all() {
        List<SimSession> out = new ArrayList<>(sessions.size());
        for (SimSession s : sessions.values()) {
            out.add(s.copy());
        }
        return out;
    }

    /** Adds or replaces a job (keyed by its GUID, case-insensitively); the estate keeps a copy. */
    public synchronized void putJob(SimJob job) {
        jobs.put(SimSession.key(job.getId()), job.copy());
        version.incrementAndGet();
    }

    /** A copy of the registered job, by GUID or UID. */
    public synchronized Optional<SimJob> job(String idOrUid) {
        SimJob j = jobs.get(key(idOrUid));
        return Optional.ofNullable(j == null ? null : j.copy());
    }

    /** Copies of the registered jobs in insertion order (jobs only named by sessions are not among them). */
    public synchronized List<SimJob> jobs() {
        return jobs.values().stream().map(SimJob::copy).toList();
    }

    public synchronized void remove(String idOrUid) {
        if (sessions.remove(key(idOrUid)) != null) {
            version.incrementAndGet();
        }
    }

    /** Removes every session (registered jobs stay). */
    public synchronized void clear() {
        sessions.clear();
        version.incrementAndGet();
    }

    /** Incremented by every change; lets views know when to take a new snapshot. */
    public long version() {
        return version.get();
    }

    /** Counts by state/result for the start-up log line. */
    public synchronized String summary() {
        int running = 0, success = 0, warning = 0, failed = 0, other = 0, replica = 0;
        java.util.Set<String> jobs = new java.util.HashSet<>();
        for (SimSession s : sessions.values()) {
            jobs.add(s.getJobId());
            replica += s.isReplica() ? 1 : 0;
            if (!"Stopped".equals(s.getState())) {
                running++;
            } else if ("Success".equals(s.getResult())) {
                success++;
            } else if ("Warning".equals(s.getResult())) {
                warning++;
            } else if ("Failed".equals(s.getResult())) {
                failed++;
            } else {
                other++;
            }
        }
        return String.format("%d jobs, %d sessions (%d replica): %d running, %d success, %d warning, %d failed, %d other",
                jobs.size(), sessions.size(), replica, running, success, warning, failed, other);
    }

    private static String key(String idOrUid) {
        String id = idOrUid;
        int colon = id.lastIndexOf(':');
        if (colon >= 0) {
            id = id.substring(colon + 1);
        }
        return SimSession.key(id);
    }
}
