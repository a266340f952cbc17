package dev.vse.enrich;

import dev.vse.em.EmClient;
import dev.vse.event.TaskOutcome;
import dev.vse.model.JobSession;
import dev.vse.model.TaskSession;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The task sessions of a job session, read from EM and turned into what records carry. */
public final class TaskOutcomes {
    private TaskOutcomes() { }

    /** The task sessions of {@code session} (backup or replica): one EM request. */
    public static List<TaskOutcome> read(EmClient client, JobSession session) {
        return client.taskSessions(session).stream().map(TaskOutcomes::of).toList();
    }

    /**
     * The task sessions of up to {@link EmClient#TASK_QUERY_UIDS} job sessions of one kind, by job-session UID: one
     * query-service request per page of the answer.
     */
    public static Map<String, List<TaskOutcome>> read(EmClient client, boolean replica, List<String> jobSessionUids) {
        Map<String, List<TaskOutcome>> out = new LinkedHashMap<>();
        client.taskSessionsOf(replica, jobSessionUids)
                .forEach((uid, tasks) -> out.put(uid, tasks.stream().map(TaskOutcomes::of).toList()));
        return out;
    }

    static TaskOutcome of(TaskSession t) {
        String reason = t.getReason() == null || t.getReason().isBlank() ? null : t.getReason().strip();
        String name = t.getVmDisplayName() != null && !t.getVmDisplayName().isBlank() ? t.getVmDisplayName() : t.getName();
        return new TaskOutcome(name, t.getResult(), reason, t.getState(), t.getUid(), t.getEndTimeUtc());
    }
}
