package dev.vse.event;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;

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

    /** Reads a value back; the envelope components come from the arguments (the CloudEvents headers). */
    public static JobAlert fromJson(byte[] json, String id, String source, String subject, Instant time) {
        try {
            JsonNode n = MAPPER.readTree(json);
            JobAlert.Status status = "resolved".equals(EventJson.text(n, "status")) ? JobAlert.Status.RESOLVED
                    : JobAlert.Status.FAILED;
            return new JobAlert(status, id, source, subject, time, EventJson.text(n, "emServer"),
                    EventJson.text(n, "jobUid"), EventJson.text(n, "jobName"), EventJson.text(n, "jobType"),
                    EventJson.text(n, "backupServer"), EventJson.text(n, "incidentKey"),
                    EventJson.text(n, "sessionUid"), EventJson.text(n, "firstFailedSessionUid"),
                    n.path("attempts").asInt(0), n.hasNonNull("retriesAllowed") ? n.get("retriesAllowed").intValue() : null,
                    EventJson.instant(n, "failedAt"), EventJson.instant(n, "resolvedAt"),
                    EventJson.text(n, "failureMessage"), EventJson.tasks(n.get("tasks")),
                    EventJson.instant(n, "detectedAt"));
        } catch (IOException e) {
            throw new IllegalArgumentException("not a job alert value: " + e.getMessage(), e);
        }
    }
}
