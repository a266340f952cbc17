package dev.vse.event;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import dev.vse.util.OneLine;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * The JSON value of a job alert (schema {@code schema/job-alert.v1.json}): camelCase, every field present, null when
 * absent, timestamps ISO-8601 UTC; the envelope travels in the CloudEvents headers. Thread-safe.
 */
public final class JobAlertJson {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private JobAlertJson() { }

    public static byte[] toJson(JobAlert a) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(1024);
        try (JsonGenerator g = MAPPER.getFactory().createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("emServer", a.emServer());
            g.writeStringField("jobUid", a.jobUid());
            g.writeStringField("jobName", a.jobName());
            g.writeStringField("jobType", a.jobType());
            g.writeStringField("backupServer", a.backupServer());
            g.writeStringField("status", a.status().value());
            g.writeStringField("incidentKey", a.incidentKey());
            g.writeStringField("sessionUid", a.sessionUid());
            g.writeStringField("firstFailedSessionUid", a.firstFailedSessionUid());
            g.writeNumberField("attempts", a.attempts());
            EventJson.writeNullable(g, "retriesAllowed", a.retriesAllowed());
            g.writeStringField("failedAt", EventJson.str(a.failedAt()));
            g.writeStringField("resolvedAt", EventJson.str(a.resolvedAt()));
            g.writeStringField("failureMessage", a.failureMessage());
            EventJson.writeTasks(g, a.tasks());
            g.writeStringField("detectedAt", EventJson.str(a.detectedAt()));
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /**
     * Reads a record of the job alerts topic back, refusing what is not a job alert: {@code ceType} (the
     * {@code ce_type} header) is {@link JobAlert.Status#ceType() em.job.failed.v1} or {@code em.job.resolved.v1} and
     * agrees with the value's {@code status}, or is null for a record without headers (then {@code status} alone
     * decides); the value is a JSON object whose {@code status} is {@code failed} or {@code resolved}, with an
     * {@code incidentKey} and a {@code jobUid}, and whose timestamps are ISO-8601. Fields the value lacks are null
     * ({@code attempts} 0). The other envelope components come from the arguments (the CloudEvents headers).
     *
     * @throws IllegalArgumentException (a one-line message) when the record is not a job alert
     */
    public static JobAlert read(String ceType, String id, String source, String subject, Instant time, byte[] value) {
        JobAlert.Status typed = null;
        if (ceType != null) {
            try {
                typed = JobAlert.Status.fromCeType(ceType);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("ce_type " + quote(ceType) + " is not "
                        + JobAlert.Status.FAILED.ceType() + " or " + JobAlert.Status.RESOLVED.ceType());
            }
        }
        if (value == null) {
            throw new IllegalArgumentException("value is missing");
        }
        JsonNode n;
        try {
            n = MAPPER.readTree(value);
        } catch (IOException e) {
            throw new IllegalArgumentException("value is not JSON");
        }
        if (n == null || !n.isObject()) {
            throw new IllegalArgumentException("value is not a JSON object");
        }
        String statusValue = EventJson.text(n, "status");
        JobAlert.Status status = null;
        for (JobAlert.Status s : JobAlert.Status.values()) {
            if (s.value().equals(statusValue)) {
                status = s;
            }
        }
        if (status == null) {
            throw new IllegalArgumentException("status " + quote(statusValue) + " is not "
                    + JobAlert.Status.FAILED.value() + " or " + JobAlert.Status.RESOLVED.value());
        }
        if (typed != null && typed != status) {
            throw new IllegalArgumentException("status " + quote(statusValue) + " contradicts ce_type " + ceType);
        }
        String incidentKey = EventJson.text(n, "incidentKey");
        if (incidentKey == null) {
            throw new IllegalArgumentException("incidentKey is missing");
        }
        String jobUid = EventJson.text(n, "jobUid");
        if (jobUid == null) {
            throw new IllegalArgumentException("jobUid is missing");
        }
        return new JobAlert(status, id, source, subject, time, EventJson.text(n, "emServer"), jobUid,
                EventJson.text(n, "jobName"), EventJson.text(n, "jobType"), EventJson.text(n, "backupServer"),
                incidentKey, EventJson.text(n, "sessionUid"), EventJson.text(n, "firstFailedSessionUid"),
                integer(n, "attempts") == null ? 0 : integer(n, "attempts"), integer(n, "retriesAllowed"),
                instant(n, "failedAt", "failedAt"), instant(n, "resolvedAt", "resolvedAt"),
                EventJson.text(n, "failureMessage"), tasks(n.get("tasks")), instant(n, "detectedAt", "detectedAt"));
    }

    /** {@code tasks} as {@link EventJson#writeTasks} writes them; null when not an array. */
    private static List<TaskOutcome> tasks(JsonNode array) {
        if (array == null || !array.isArray()) {
            return null;
        }
        List<TaskOutcome> tasks = new ArrayList<>(array.size());
        for (int i = 0; i < array.size(); i++) {
            JsonNode t = array.get(i);
            tasks.add(new TaskOutcome(EventJson.text(t, "name"), EventJson.text(t, "status"),
                    EventJson.text(t, "reason"), EventJson.text(t, "state"), EventJson.text(t, "uid"),
                    instant(t, "endTime", "tasks[" + i + "].endTime")));
        }
        return tasks;
    }

    private static Integer integer(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v != null && v.isIntegralNumber() && v.canConvertToInt() ? v.intValue() : null;
    }

    private static Instant instant(JsonNode n, String field, String name) {
        String v = EventJson.text(n, field);
        if (v == null) {
            return null;
        }
        try {
            return Instant.parse(v);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(name + " " + quote(v) + " is not an ISO-8601 UTC timestamp");
        }
    }

    /** A value as a message quotes it: on one line, cut. */
    private static String quote(String v) {
        return v == null ? "null" : "'" + OneLine.of(v, 100) + "'";
    }
}
