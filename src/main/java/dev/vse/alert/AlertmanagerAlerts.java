package dev.vse.alert;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vse.event.JobAlert;
import dev.vse.event.TaskOutcome;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Job alert records as Alertmanager v2 alerts ({@code POST /api/v2/alerts}: an array of
 * {@code {labels, annotations, startsAt, endsAt, generatorURL}}); docs/alertmanager.md shows an example.
 *
 * <p>Labels (the alert's identity in Alertmanager): {@code alertname=VeeamJobFailed}, {@code em}, {@code job} (the
 * job's name), {@code backup_server}, {@code severity}, {@code incident_key}; a label whose value is unknown is left
 * out. An open incident ends {@code activeFor} after now (4 resend intervals, as Prometheus does), so Alertmanager
 * keeps it active while it is re-sent and lets it expire if this bridge is gone for good; a resolved one ends at its
 * {@code resolvedAt}. A resolution carries the labels and annotations of the failure it ends, so it always names
 * the same Alertmanager alert.
 */
public final class AlertmanagerAlerts {
    public static final String ALERT_NAME = "VeeamJobFailed";
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Alertmanager shows annotations as they are; a long description is cut here. */
    private static final int MAX_DESCRIPTION = 4000;
    private static final int MAX_VMS_LISTED = 50;

    private final String severity;
    private final Duration activeFor;

    public AlertmanagerAlerts(String severity, Duration activeFor) {
        this.severity = severity;
        this.activeFor = activeFor;
    }

    /** The alert of a job's current state, or null when there is nothing to tell Alertmanager (a tombstone of a job never seen failing). */
    public Map<String, Object> of(Incidents.State state, Instant now) {
        JobAlert latest = state.latest();
        if (latest != null && latest.isFailed()) {
            return alert(latest, latest, now.plus(activeFor), now);
        }
        JobAlert failure = state.lastOpen() != null
                && (latest == null || state.lastOpen().incidentKey().equals(latest.incidentKey())) ? state.lastOpen() : latest;
        if (failure == null) {
            return null;
        }
        Instant ends = latest != null && latest.resolvedAt() != null ? latest.resolvedAt() : now;
        Map<String, Object> a = alert(failure, latest, ends, now);
        if (latest != null) {
            @SuppressWarnings("unchecked")
            Map<String, String> annotations = (Map<String, String>) a.get("annotations");
            putIfSet(annotations, "resolved_session_uid", latest.sessionUid());
        }
        return a;
    }

    /** The JSON body of a POST. */
    public static byte[] json(List<Map<String, Object>> alerts) {
        try {
            return JSON.writeValueAsBytes(alerts);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Labels and annotations from {@code failure}; timestamps from {@code latest} (the record that is current). */
    private Map<String, Object> alert(JobAlert failure, JobAlert latest, Instant endsAt, Instant now) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("alertname", ALERT_NAME);
        putIfSet(labels, "em", failure.emServer());
        putIfSet(labels, "job", failure.jobName() != null ? failure.jobName() : failure.jobUid());
        putIfSet(labels, "backup_server", failure.backupServer());
        labels.put("severity", severity);
        labels.put("incident_key", failure.incidentKey());

        Map<String, String> annotations = new LinkedHashMap<>();
        annotations.put("summary", summary(failure));
        annotations.put("description", description(failure));
        List<TaskOutcome> failedTasks = failure.failedTasks();
        if (!failedTasks.isEmpty()) {
            annotations.put("failed_vms", failedTasks.stream().map(t -> String.valueOf(t.name())).collect(Collectors.joining(", ")));
        }
        putIfSet(annotations, "failure_message", failure.failureMessage());
        putIfSet(annotations, "session_uid", failure.sessionUid());
        putIfSet(annotations, "first_failed_session_uid", failure.firstFailedSessionUid());
        putIfSet(annotations, "job_uid", failure.jobUid());
        putIfSet(annotations, "job_type", failure.jobType());

        Instant startsAt = failure.failedAt() != null ? failure.failedAt() : latest != null && latest.failedAt() != null ? latest.failedAt() : now;
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("labels", labels);
        a.put("annotations", annotations);
        a.put("startsAt", iso(startsAt));
        a.put("endsAt", iso(endsAt.isBefore(startsAt) ? startsAt : endsAt));
        String source = failure.source() != null ? failure.source() : latest == null ? null : latest.source();
        if (source != null) {
            a.put("generatorURL", source);
        }
        return a;
    }

    /** One line: job, backup server, EM, attempts. */
    static String summary(JobAlert a) {
        StringBuilder s = new StringBuilder("Veeam job '").append(a.jobName() != null ? a.jobName() : a.jobUid()).append("' failed");
        if (a.backupServer() != null) {
            s.append(" on ").append(a.backupServer());
        }
        if (a.emServer() != null) {
            s.append(" (EM ").append(a.emServer()).append(')');
        }
        if (a.attempts() > 0) { // 0: the record did not say
            s.append(a.attempts() == 1 ? ", 1 attempt" : ", " + a.attempts() + " attempts");
        }
        return s.toString();
    }

    /** The failure message, then one line per failed VM with its reason. */
    static String description(JobAlert a) {
        StringBuilder s = new StringBuilder();
        if (a.failureMessage() != null) {
            s.append(a.failureMessage().strip());
        }
        List<TaskOutcome> failed = a.failedTasks();
        if (!failed.isEmpty()) {
            if (s.length() > 0) {
                s.append('\n');
            }
            s.append("Failed VMs (").append(failed.size()).append("):");
            failed.stream().limit(MAX_VMS_LISTED).forEach(t -> {
                s.append("\n- ").append(t.name());
                if (t.reason() != null && !t.reason().isBlank()) {
                    s.append(": ").append(t.reason().strip().replaceAll("\\s*\\R\\s*", " "));
                }
            });
            if (failed.size() > MAX_VMS_LISTED) {
                s.append("\n- … and ").append(failed.size() - MAX_VMS_LISTED).append(" more");
            }
        }
        if (s.length() == 0) {
            s.append(summary(a));
        }
        return s.length() > MAX_DESCRIPTION ? s.substring(0, MAX_DESCRIPTION - 1) + "…" : s.toString();
    }

    private static void putIfSet(Map<String, String> m, String k, String v) {
        if (v != null && !v.isBlank()) {
            m.put(k, v);
        }
    }

    private static String iso(Instant t) {
        return t.truncatedTo(ChronoUnit.MILLIS).toString();
    }
}
