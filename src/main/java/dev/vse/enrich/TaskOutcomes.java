package dev.vse.enrich;

import dev.vse.em.EmClient;
import dev.vse.event.TaskOutcome;
import dev.vse.incident.RetryPolicy;
import dev.vse.model.BackupTaskSession;
import dev.vse.model.JobSession;
import java.util.List;

/** The EM reads behind enrichment and retry policies: EM's entities turned into this project's values. */
public final class TaskOutcomes {
    private TaskOutcomes() { }

    /** The task sessions of {@code session}, one EM request. */
    public static List<TaskOutcome> read(EmClient client, JobSession session) {
        return client.taskSessions(session.getHref()).stream().map(TaskOutcomes::of).toList();
    }

    /** The retry policy of the job of {@code session}, one EM request. */
    public static RetryPolicy retryPolicy(EmClient client, JobSession session) {
        throw new UnsupportedOperationException("reading jobs is not there yet");
    }

    static TaskOutcome of(BackupTaskSession t) {
        String reason = t.getReason() == null || t.getReason().isBlank() ? null : t.getReason().strip();
        String name = t.getVmDisplayName() != null ? t.getVmDisplayName() : t.getName();
        return new TaskOutcome(name, t.getResult(), reason, t.getState(), t.getUid(), t.getEndTimeUtc());
    }
}
