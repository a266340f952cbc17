package dev.vse.simulator;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** What the API shows: an immutable copy of the estate taken at a collection boundary. */
final class Snapshot {
    final long epoch;
    final List<SimSession> sessions;
    final List<QueryTypes.TaskRow> tasks = new ArrayList<>();
    private final Map<String, SimSession> byId = new HashMap<>();
    private final Map<String, QueryTypes.TaskRow> taskById = new HashMap<>();

    Snapshot(long epoch, List<SimSession> sessions) {
        this.epoch = epoch;
        this.sessions = List.copyOf(sessions);
        for (SimSession s : sessions) {
            byId.put(s.getId().toLowerCase(Locale.ROOT), s);
            if (!s.isReplica()) {
                for (SimTaskSession t : s.getTasks()) {
                    QueryTypes.TaskRow row = new QueryTypes.TaskRow(s, t);
                    tasks.add(row);
                    taskById.put(t.getId().toLowerCase(Locale.ROOT), row);
                }
            }
        }
    }

    SimSession session(String id) {
        return byId.get(id.toLowerCase(Locale.ROOT));
    }

    QueryTypes.TaskRow task(String id) {
        return taskById.get(id.toLowerCase(Locale.ROOT));
    }
}
