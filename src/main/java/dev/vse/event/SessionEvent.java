package dev.vse.event;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One record to publish. The first five components are the CloudEvents envelope
 * ({@code ce_type}, {@code ce_id}, {@code ce_source}, {@code ce_subject}, {@code ce_time}); the rest is
 * the JSON value, exactly the fields of the contract (DESIGN.md "Records") plus
 * {@code failureMessage}, {@code sessionHref} and {@code detectedAt}.
 *
 * <p>{@code time} is the time of the occurrence, chosen to be deterministic where EM gives one:
 * terminal records use the session's EndTime; a CHANGED record of a stopped session uses its EndTime;
 * a CHANGED record at first sight of a running session uses its CreationTime; other running changes
 * use the detection time (EM has no timestamp for them). Missing times fall back to the detection
 * time. {@code detectedAt} is always the detection time.
 *
 * <p>Enrichment (DESIGN.md "Enriched session records"), null on every other record: {@code tasks} are the task
 * sessions of a failed or warning record, or null with {@code tasksError} saying in one line why they could not be
 * read; {@code retryPending} / {@code retriesLeft} say on a failed record whether Veeam will retry the job, and how
 * many attempts it has left.
 */
public record SessionEvent(EventType type, String id, String source, String subject, Instant time,
                           String emServer, String sessionUid, String sessionType, String sessionName,
                           String jobUid, String jobName, String jobType, String backupServer,
                           Instant creationTime, Instant endTime, String state, String result,
                           Integer progress, Boolean isRetry, String previousState, String previousResult,
                           String failureMessage, String sessionHref, Instant detectedAt,
                           List<TaskOutcome> tasks, String tasksError, Boolean retryPending, Integer retriesLeft) {

    public SessionEvent {
        Objects.requireNonNull(type, "type");
        tasks = tasks == null ? null : List.copyOf(tasks);
    }

    /** A record without enrichment. */
    public SessionEvent(EventType type, String id, String source, String subject, Instant time,
                        String emServer, String sessionUid, String sessionType, String sessionName,
                        String jobUid, String jobName, String jobType, String backupServer,
                        Instant creationTime, Instant endTime, String state, String result,
                        Integer progress, Boolean isRetry, String previousState, String previousResult,
                        String failureMessage, String sessionHref, Instant detectedAt) {
        this(type, id, source, subject, time, emServer, sessionUid, sessionType, sessionName, jobUid, jobName, jobType,
                backupServer, creationTime, endTime, state, result, progress, isRetry, previousState, previousResult,
                failureMessage, sessionHref, detectedAt, null, null, null, null);
    }

    /** This record with its task sessions ({@code tasks}), or with the one line saying why there are none. */
    public SessionEvent withTasks(List<TaskOutcome> tasks, String tasksError) {
        return new SessionEvent(type, id, source, subject, time, emServer, sessionUid, sessionType, sessionName, jobUid,
                jobName, jobType, backupServer, creationTime, endTime, state, result, progress, isRetry, previousState,
                previousResult, failureMessage, sessionHref, detectedAt, tasks, tasksError, retryPending, retriesLeft);
    }

    /** This record saying whether Veeam will retry the job, and how many attempts it has left (null: unknown). */
    public SessionEvent withRetry(boolean retryPending, Integer retriesLeft) {
        return new SessionEvent(type, id, source, subject, time, emServer, sessionUid, sessionType, sessionName, jobUid,
                jobName, jobType, backupServer, creationTime, endTime, state, result, progress, isRetry, previousState,
                previousResult, failureMessage, sessionHref, detectedAt, tasks, tasksError, retryPending, retriesLeft);
    }

    /** A failed record, or a completed one with {@code Result=Warning}: the records that carry task sessions. */
    public boolean wantsTasks() {
        return type == EventType.FAILED || (type == EventType.COMPLETED && "Warning".equalsIgnoreCase(result));
    }

    /** The Kafka record key: the session UID. */
    public String key() {
        return sessionUid;
    }
}
