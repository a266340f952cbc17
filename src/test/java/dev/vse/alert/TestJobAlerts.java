package dev.vse.alert;

import dev.vse.event.CloudEventMapper;
import dev.vse.event.EventIds;
import dev.vse.event.JobAlert;
import dev.vse.event.TaskOutcome;
import io.cloudevents.CloudEvent;
import java.time.Instant;
import java.util.List;

/**
 * Job alert records as the pipeline produces them ({@link dev.vse.event.JobAlert}, filled as
 * {@code dev.vse.incident.JobIncidents} fills it; on the topic through {@link CloudEventMapper}).
 */
public final class TestJobAlerts {
    public static final String EM = "em01";
    public static final String EM_URL = "https://em01.example.com:9398/api";
    private static final CloudEventMapper MAPPER = new CloudEventMapper();

    private TestJobAlerts() { }

    public static String incidentKey(String jobUid) {
        return JobAlert.incidentKey(EM, jobUid);
    }

    /** The {@code failed} record of job {@code jobUid} (named {@code jobName}): three attempts, two VMs, one failed. */
    public static JobAlert failed(String jobUid, String jobName, Instant failedAt) {
        String first = "urn:veeam:BackupJobSession:" + jobUid.hashCode() + "-1";
        return new JobAlert(JobAlert.Status.FAILED, id(JobAlert.Status.FAILED, jobUid, first), EM_URL, jobUid, failedAt,
                EM, jobUid, jobName, "Backup", "vbr01.example.com", incidentKey(jobUid),
                "urn:veeam:BackupJobSession:" + jobUid.hashCode() + "-3", first, 3, 2, failedAt, null,
                "Processing sql01 Error: Failed to create VM snapshot",
                List.of(task("sql01", "Failed", "Failed to create VM snapshot. Error: Insufficient disk space", failedAt),
                        task("web01", "Success", null, failedAt.minusSeconds(40))),
                failedAt.plusSeconds(2));
    }

    /** The {@code resolved} record that ends {@code failed}: the next run, all VMs successful. */
    public static JobAlert resolved(JobAlert failed, Instant resolvedAt) {
        return new JobAlert(JobAlert.Status.RESOLVED, id(JobAlert.Status.RESOLVED, failed.jobUid(), failed.firstFailedSessionUid()),
                failed.source(), failed.subject(), resolvedAt, failed.emServer(), failed.jobUid(), failed.jobName(),
                failed.jobType(), failed.backupServer(), failed.incidentKey(),
                "urn:veeam:BackupJobSession:" + failed.jobUid().hashCode() + "-4", failed.firstFailedSessionUid(),
                failed.attempts(), failed.retriesAllowed(), failed.failedAt(), resolvedAt, failed.failureMessage(),
                List.of(task("sql01", "Success", null, resolvedAt), task("web01", "Success", null, resolvedAt.minusSeconds(20))),
                resolvedAt.plusSeconds(2));
    }

    /** {@code a} with other job name, backup server, attempts, failure message and tasks (the rest as it is). */
    public static JobAlert with(JobAlert a, String jobName, String backupServer, int attempts, String failureMessage,
                                List<TaskOutcome> tasks) {
        return new JobAlert(a.status(), a.id(), a.source(), a.subject(), a.time(), a.emServer(), a.jobUid(), jobName,
                a.jobType(), backupServer, a.incidentKey(), a.sessionUid(), a.firstFailedSessionUid(), attempts,
                a.retriesAllowed(), a.failedAt(), a.resolvedAt(), failureMessage, tasks, a.detectedAt());
    }

    private static String id(JobAlert.Status status, String jobUid, String firstFailedSessionUid) {
        return EventIds.jobAlert(EM, jobUid, status.ceType(), firstFailedSessionUid);
    }

    private static TaskOutcome task(String name, String status, String reason, Instant endTime) {
        return new TaskOutcome(name, status, reason, "Completed", "urn:veeam:BackupTaskSession:" + name, endTime);
    }

    /** The record's CloudEvent, as the producer builds it (binary mode through CloudEventSerializer). */
    public static CloudEvent event(JobAlert alert) {
        return MAPPER.toCloudEvent(alert);
    }
}
