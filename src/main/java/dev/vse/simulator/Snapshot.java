package dev.vse.simulator;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What the API shows: an immutable copy of the estate taken at a collection boundary. Its jobs are the registered
 * ones plus, for every session whose job was never registered, one derived from that session ({@link SimJob#of}),
 * so that every session's {@code JobReference} resolves.
 */
final class Snapshot {
    final long epoch;
    final List<SimSession> sessions;
    final List<QueryTypes.TaskRow> tasks = new ArrayList<>();
    final List<QueryTypes.TaskRow> replicaTasks = new ArrayList<>();
    private final Map<String, SimSession> byId = new HashMap<>();
    private final Map<String, QueryTypes.TaskRow> taskById = new HashMap<>();
    private final Map<String, QueryTypes.TaskRow> replicaTaskById = new HashMap<>();
    private final Map<String, SimJob> jobs = new LinkedHashMap<>();
    /** Task rows (backup and replica) by their job session's UID, lower case. */
    private final Map<String, List<QueryTypes.TaskRow>> tasksByJobSession = new HashMap<>();

    Snapshot(long epoch, List<SimSession> sessions, List<SimJob> registeredJobs) {
        this.epoch = epoch;
        this.sessions = List.copyOf(sessions);
        registeredJobs.forEach(j -> jobs.put(key(j.getId()), j));
        for (SimSession s : sessions) {
            byId.put(key(s.getId()), s);
            jobs.computeIfAbsent(key(s.getJobId()), k -> SimJob.of(s));
            List<QueryTypes.TaskRow> rows = s.isReplica() ? replicaTasks : tasks;
            Map<String, QueryTypes.TaskRow> index = s.isReplica() ? replicaTaskById : taskById;
            for (SimTaskSession t : s.getTasks()) {
                QueryTypes.TaskRow row = new QueryTypes.TaskRow(s, t);
                rows.add(row);
                index.put(key(t.getId()), row);
                tasksByJobSession.computeIfAbsent(key(s.uid()), k -> new ArrayList<>()).add(row);
            }
        }
    }

    SimSession session(String id) {
        return byId.get(key(id));
    }

    QueryTypes.TaskRow task(String id) {
        return taskById.get(key(id));
    }

    QueryTypes.TaskRow replicaTask(String id) {
        return replicaTaskById.get(key(id));
    }

    /** The task rows of the job session with this UID (any case), in the session's order; empty when none. */
    List<QueryTypes.TaskRow> tasksOf(String jobSessionUid) {
        return tasksByJobSession.getOrDefault(key(jobSessionUid), List.of());
    }

    SimJob job(String id) {
        return jobs.get(key(id));
    }

    /** Registered and derived jobs, registered first, each in insertion order. */
    List<SimJob> jobs() {
        return List.copyOf(jobs.values());
    }

    private static String key(String id) {
        return id.toLowerCase(Locale.ROOT);
    }
}
