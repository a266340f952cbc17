package dev.vse.detect;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * JSON payloads of the state files, one object per line, kind in {@code "t"}:
 * <ul>
 *   <li>{@code h} header, first line of a snapshot file: {@code version}, {@code emId},
 *       {@code generation}, {@code watermarks} and {@code baselines} (both maps session type to instant);</li>
 *   <li>{@code s} session snapshot (every {@link SessionSnapshot} field by name);</li>
 *   <li>{@code w} watermark: {@code sessionType}, {@code at};</li>
 *   <li>{@code B} baseline instant: {@code sessionType}, {@code at} (the first one per type wins);</li>
 *   <li>{@code p} prune: {@code stoppedBefore};</li>
 *   <li>{@code f} forget: {@code uids} (array);</li>
 *   <li>{@code j} job incident: {@code job} (UID), {@code state} (its encoded state, opaque here; null: closed).</li>
 * </ul>
 * The header also carries the open job incidents ({@code incidents}: job UID to encoded state), so that the lines
 * after it stay session snapshots only.
 * Version 1 (read, never written) had no baseline instants: its header carried {@code "baseline": true}
 * and its journal {@code b} records ("baseline done"); {@link EmStateFiles} translates them on open.
 * Field names are spelled out so that an operator can read the files.
 */
final class StoreCodec {
    /** Written in new headers. */
    static final int VERSION = 2;
    /** The format before baseline instants and forget records; still readable. */
    static final int VERSION_FLAG_BASELINE = 1;
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

    static byte[] baseline(String sessionType, Instant at) {
        return json("B", g -> {
            g.writeStringField("sessionType", sessionType);
            g.writeStringField("at", str(at));
        });
    }

    static byte[] forget(Collection<String> uids) {
        return json("f", g -> {
            g.writeArrayFieldStart("uids");
            for (String uid : uids) {
                g.writeString(uid);
            }
            g.writeEndArray();
        });
    }

    static byte[] prune(Instant stoppedBefore) {
        return json("p", g -> g.writeStringField("stoppedBefore", str(stoppedBefore)));
    }

    static byte[] header(String emId, long generation, Map<String, Instant> watermarks,
                         Map<String, Instant> baselines, Map<String, String> incidents) {
        return json("h", g -> {
            g.writeNumberField("version", VERSION);
            g.writeStringField("emId", emId);
            g.writeNumberField("generation", generation);
            instants(g, "watermarks", watermarks);
            instants(g, "baselines", baselines);
            g.writeObjectFieldStart("incidents");
            for (Map.Entry<String, String> e : new TreeMap<>(incidents).entrySet()) {
                g.writeStringField(e.getKey(), e.getValue());
            }
            g.writeEndObject();
        });
    }

    static byte[] incident(IncidentEntry entry) {
        return json("j", g -> {
            g.writeStringField("job", entry.jobUid());
            g.writeStringField("state", entry.state());
        });
    }

    static IncidentEntry incident(JsonNode n) {
        return new IncidentEntry(text(n, "job"), text(n, "state"));
    }

    /** A header's open incidents; empty when absent (older files). */
    static Map<String, String> incidents(JsonNode header) {
        Map<String, String> result = new LinkedHashMap<>();
        Iterator<Map.Entry<String, JsonNode>> it = header.path("incidents").fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            result.put(e.getKey(), e.getValue().asText());
        }
        return result;
    }

    private static void instants(JsonGenerator g, String field, Map<String, Instant> bySessionType)
            throws IOException {
        g.writeObjectFieldStart(field);
        for (Map.Entry<String, Instant> e : new TreeMap<>(bySessionType).entrySet()) {
            g.writeStringField(e.getKey(), str(e.getValue()));
        }
        g.writeEndObject();
    }

    /** A header's map of session type to instant ({@code watermarks}, {@code baselines}); empty when absent. */
    static Map<String, Instant> instants(JsonNode header, String field) {
        Map<String, Instant> result = new LinkedHashMap<>();
        Iterator<Map.Entry<String, JsonNode>> it = header.path(field).fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            result.put(e.getKey(), Instant.parse(e.getValue().asText()));
        }
        return result;
    }

    /** The {@code uids} of a forget record. */
    static List<String> uids(JsonNode n) {
        List<String> uids = new ArrayList<>();
        n.path("uids").forEach(uid -> uids.add(uid.asText()));
        return uids;
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
