package dev.vse.event;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The JSON value of a record (schema {@code schema/session-event.v1.json}): camelCase, ISO-8601 UTC
 * timestamps ({@code 2025-08-15T20:00:24.003406Z}), every field always present, {@code null} when
 * absent. The envelope (id, type, source, subject, time) travels in the CloudEvents headers, not here.
 * Thread-safe.
 */
public final class EventJson {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final JsonFactory FACTORY = MAPPER.getFactory();

    private EventJson() { }

    public static byte[] toJson(SessionEvent e) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(768);
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("emServer", e.emServer());
            g.writeStringField("sessionUid", e.sessionUid());
            g.writeStringField("sessionType", e.sessionType());
            g.writeStringField("sessionName", e.sessionName());
            g.writeStringField("jobUid", e.jobUid());
            g.writeStringField("jobName", e.jobName());
            g.writeStringField("jobType", e.jobType());
            g.writeStringField("backupServer", e.backupServer());
            g.writeStringField("creationTime", str(e.creationTime()));
            g.writeStringField("endTime", str(e.endTime()));
            g.writeStringField("state", e.state());
            g.writeStringField("result", e.result());
            writeNullable(g, "progress", e.progress());
            writeNullable(g, "isRetry", e.isRetry());
            g.writeStringField("previousState", e.previousState());
            g.writeStringField("previousResult", e.previousResult());
            g.writeStringField("failureMessage", e.failureMessage());
            g.writeStringField("sessionHref", e.sessionHref());
            g.writeStringField("detectedAt", str(e.detectedAt()));
            writeTasks(g, e.tasks());
            g.writeStringField("tasksError", e.tasksError());
            writeNullable(g, "retryPending", e.retryPending());
            writeNullable(g, "retriesLeft", e.retriesLeft());
            g.writeEndObject();
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        return out.toByteArray();
    }

    /**
     * Reads a value back. The envelope components are taken from the arguments (from the CloudEvents
     * headers); pass nulls when only the value is at hand.
     */
    public static SessionEvent fromJson(byte[] json, EventType type, String id, String source, String subject,
                                        Instant time) {
        try {
            JsonNode n = MAPPER.readTree(json);
            return new SessionEvent(type, id, source, subject, time,
                    text(n, "emServer"), text(n, "sessionUid"), text(n, "sessionType"), text(n, "sessionName"),
                    text(n, "jobUid"), text(n, "jobName"), text(n, "jobType"), text(n, "backupServer"),
                    instant(n, "creationTime"), instant(n, "endTime"), text(n, "state"), text(n, "result"),
                    n.hasNonNull("progress") ? n.get("progress").intValue() : null,
                    n.hasNonNull("isRetry") ? n.get("isRetry").booleanValue() : null,
                    text(n, "previousState"), text(n, "previousResult"), text(n, "failureMessage"),
                    text(n, "sessionHref"), instant(n, "detectedAt"), tasks(n.get("tasks")), text(n, "tasksError"),
                    n.hasNonNull("retryPending") ? n.get("retryPending").booleanValue() : null,
                    n.hasNonNull("retriesLeft") ? n.get("retriesLeft").intValue() : null);
        } catch (IOException ex) {
            throw new IllegalArgumentException("not a session event value: " + ex.getMessage(), ex);
        }
    }

    /** {@code tasks}: an array of {@code {name, status, reason, state, uid, endTime}}, or null. */
    public static void writeTasks(JsonGenerator g, List<TaskOutcome> tasks) throws IOException {
        if (tasks == null) {
            g.writeNullField("tasks");
            return;
        }
        g.writeArrayFieldStart("tasks");
        for (TaskOutcome t : tasks) {
            g.writeStartObject();
            g.writeStringField("name", t.name());
            g.writeStringField("status", t.status());
            g.writeStringField("reason", t.reason());
            g.writeStringField("state", t.state());
            g.writeStringField("uid", t.uid());
            g.writeStringField("endTime", str(t.endTime()));
            g.writeEndObject();
        }
        g.writeEndArray();
    }

    /** The inverse of {@link #writeTasks}. */
    public static List<TaskOutcome> tasks(JsonNode array) {
        if (array == null || !array.isArray()) {
            return null;
        }
        List<TaskOutcome> tasks = new ArrayList<>(array.size());
        for (JsonNode t : array) {
            tasks.add(new TaskOutcome(text(t, "name"), text(t, "status"), text(t, "reason"), text(t, "state"),
                    text(t, "uid"), instant(t, "endTime")));
        }
        return tasks;
    }

    public static void writeNullable(JsonGenerator g, String name, Integer value) throws IOException {
        if (value == null) {
            g.writeNullField(name);
        } else {
            g.writeNumberField(name, value);
        }
    }

    public static void writeNullable(JsonGenerator g, String name, Boolean value) throws IOException {
        if (value == null) {
            g.writeNullField(name);
        } else {
            g.writeBooleanField(name, value);
        }
    }

    public static String str(Instant instant) {
        return instant == null ? null : instant.toString();
    }

    public static String text(JsonNode n, String field) {
        return n.hasNonNull(field) ? n.get(field).asText() : null;
    }

    public static Instant instant(JsonNode n, String field) {
        String value = text(n, field);
        return value == null ? null : Instant.parse(value);
    }
}
