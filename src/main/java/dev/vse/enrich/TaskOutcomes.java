package dev.vse.enrich;

import dev.vse.em.EmClient;
import dev.vse.event.TaskOutcome;
import dev.vse.model.JobSession;
import dev.vse.model.TaskSession;
import java.util.List;

/** The task sessions of a job session, read from EM and turned into what records carry. */
public final class TaskOutcomes {
    private TaskOutcomes() { }

    /** The task sessions of {@code session} (backup or replica): one EM request. */
    public static List<TaskOutcome> read(EmClient client, JobSession session) {
        return client.taskSessions(session).stream().map(TaskOutcomes::of).toList();
    }

    static TaskOutcome of(TaskSession t) {
        String reason = t.getReason() == null || t.getReason().isBlank() ? null : t.getReason().strip();
        String name = t.getVmDisplayName() != null && !t.getVmDisplayName().isBlank() ? t.getVmDisplayName() : t.getName();
        return new TaskOutcome(name, t.getResult(), reason, t.getState(), t.getUid(), t.getEndTimeUtc());
    }
}
