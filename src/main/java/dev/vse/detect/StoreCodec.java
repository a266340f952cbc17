package dev.vse.detect;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Map;

/**
 * JSON payloads of the state files, one object per line, kind in {@code "t"}:
 * {@code s} snapshot, {@code w} watermark, {@code b} baseline done, {@code p} prune, {@code h} header
 * of a snapshot file. Field names are spelled out so that an operator can read the files.
 */
final class StoreCodec {
    static final int VERSION = 1;
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final JsonFactory FACTORY = MAPPER.getFactory();

    private StoreCodec() { }

    interface Body {
        void write(JsonGenerator g) throws IOException;
    }

    static byte[] json(String kind, Body body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(512);
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("t", kind);
            body.write(g);
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    static byte[] snapshot(SessionSnapshot s) {
        return json("s", g -> {
            g.writeStringField("uid", s.uid());
            g.writeStringField("sessionType", s.sessionType());
            g.writeStringField("href", s.href());
            g.writeStringField("jobUid", s.jobUid());
            g.writeStringField("jobName", s.jobName());
            g.writeStringField("jobType", s.jobType());
            g.writeStringField("backupServer", s.backupServer());
            g.writeStringField("creationTime", str(s.creationTime()));
            g.writeStringField("endTime", str(s.endTime()));
            g.writeStringField("state", s.state());
            g.writeStringField("result", s.result());
            if (s.progress() != null) {
                g.writeNumberField("progress", s.progress());
            }
            if (s.isRetry() != null) {
                g.writeBooleanField("isRetry", s.isRetry());
            }
            g.writeBooleanField("terminalPublished", s.terminalPublished());
            g.writeStringField("lastChanged", str(s.lastChanged()));
        });
    }

    static byte[] watermark(String sessionType, Instant at) {
        return json("w", g -> {
            g.writeStringField("sessionType", sessionType);
            g.writeStringField("at", str(at));
        });
    }

    static byte[] baseline() {
        return json("b", g -> { });
    }

    static byte[] prune(Instant stoppedBefore) {
        return json("p", g -> g.writeStringField("stoppedBefore", str(stoppedBefore)));
    }

    static byte[] header(String emId, long generation, boolean baseline, Map<String, Instant> watermarks) {
        return json("h", g -> {
            g.writeNumberField("version", VERSION);
            g.writeStringField("emId", emId);
            g.writeNumberField("generation", generation);
            g.writeBooleanField("baseline", baseline);
            g.writeObjectFieldStart("watermarks");
            for (Map.Entry<String, Instant> w : watermarks.entrySet()) {
                g.writeStringField(w.getKey(), str(w.getValue()));
            }
            g.writeEndObject();
        });
    }

    static JsonNode parse(byte[] payload) throws IOException {
        return MAPPER.readTree(payload);
    }

    static SessionSnapshot snapshot(String emId, JsonNode n) {
        return new SessionSnapshot(emId, text(n, "uid"), text(n, "sessionType"), text(n, "href"),
                text(n, "jobUid"), text(n, "jobName"), text(n, "jobType"), text(n, "backupServer"),
                instant(n, "creationTime"), instant(n, "endTime"), text(n, "state"), text(n, "result"),
                n.hasNonNull("progress") ? Integer.valueOf(n.get("progress").intValue()) : null,
                n.hasNonNull("isRetry") ? Boolean.valueOf(n.get("isRetry").booleanValue()) : null,
                n.path("terminalPublished").booleanValue(), instant(n, "lastChanged"));
    }

    static String text(JsonNode n, String field) {
        return n.hasNonNull(field) ? n.get(field).asText() : null;
    }

    static Instant instant(JsonNode n, String field) {
        String value = text(n, field);
        return value == null ? null : Instant.parse(value);
    }

    private static String str(Instant instant) {
        return instant == null ? null : instant.toString();
    }
}
