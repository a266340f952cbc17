package dev.vse.event;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One record of the job alerts topic (DESIGN.md "More topics and records"): a job incident opens ({@link
 * Status#FAILED}, a failure that no automatic retry will follow) or is resolved ({@link Status#RESOLVED}, the next
 * successful or warning session of the job). Key = job UID; the topic is compacted, so the latest record per job is
 * its current alert state. The first five components are the CloudEvents envelope, the rest the JSON value
 * (schema {@code schema/job-alert.v1.json}).
 *
 * @param sessionUid            the session that caused this record (the last failure, or the repairing run)
 * @param firstFailedSessionUid the failure that began the incident
 * @param attempts              the failed sessions of the incident (the first run and its retries); 0 when a record
 *                              read back does not say ({@code attempts} null)
 * @param retriesAllowed        the job's {@code RetryTimes} as this service applied it (0: no retries)
 * @param tasks                 the task sessions of the last failure, null when they could not be read
 */
public record JobAlert(Status status, String id, String source, String subject, Instant time,
                       String emServer, String jobUid, String jobName, String jobType, String backupServer,
                       String incidentKey, String sessionUid, String firstFailedSessionUid, int attempts,
                       Integer retriesAllowed, Instant failedAt, Instant resolvedAt, String failureMessage,
                       List<TaskOutcome> tasks, Instant detectedAt) {

    /** The two kinds of job alert; {@link #ceType()} is the CloudEvents {@code type}. */
    public enum Status {
        FAILED("em.job.failed.v1", "failed"),
        RESOLVED("em.job.resolved.v1", "resolved");

        private final String ceType;
        private final String value;

        Status(String ceType, String value) {
            this.ceType = ceType;
            this.value = value;
        }

        public String ceType() { return ceType; }

        /** The {@code status} field of the value. */
        public String value() { return value; }

        public static Status fromCeType(String ceType) {
            for (Status s : values()) {
                if (s.ceType.equals(ceType)) {
                    return s;
                }
            }
            throw new IllegalArgumentException("not a job alert type: " + ceType);
        }
    }

    public JobAlert {
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(jobUid, "jobUid");
        tasks = tasks == null ? null : List.copyOf(tasks);
    }

    /** {@code veeam:<emServer>:<jobUid>}: the same for the whole incident (a PagerDuty dedup_key, an Alertmanager label). */
    public static String incidentKey(String emServer, String jobUid) {
        return "veeam:" + emServer + ":" + jobUid;
    }

    /** The Kafka record key: the job UID. */
    public String key() {
        return jobUid;
    }

    /** {@link Status#FAILED}: the incident is open. */
    public boolean isFailed() {
        return status == Status.FAILED;
    }

    /** The tasks whose status is {@code Failed}, in their order; empty without tasks. */
    public List<TaskOutcome> failedTasks() {
        return tasks == null ? List.of() : tasks.stream().filter(TaskOutcome::isFailed).toList();
    }
}
