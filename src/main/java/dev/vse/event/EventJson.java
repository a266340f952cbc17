package dev.vse.event;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;

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
                    text(n, "sessionHref"), instant(n, "detectedAt"));
        } catch (IOException ex) {
            throw new IllegalArgumentException("not a session event value: " + ex.getMessage(), ex);
        }
    }

    private static void writeNullable(JsonGenerator g, String name, Integer value) throws IOException {
        if (value == null) {
            g.writeNullField(name);
        } else {
            g.writeNumberField(name, value);
        }
    }

    private static void writeNullable(JsonGenerator g, String name, Boolean value) throws IOException {
        if (value == null) {
            g.writeNullField(name);
        } else {
            g.writeBooleanField(name, value);
        }
    }

    private static String str(Instant instant) {
        return instant == null ? null : instant.toString();
    }

    private static String text(JsonNode n, String field) {
        return n.hasNonNull(field) ? n.get(field).asText() : null;
    }

    private static Instant instant(JsonNode n, String field) {
        String value = text(n, field);
        return value == null ? null : Instant.parse(value);
    }
}
