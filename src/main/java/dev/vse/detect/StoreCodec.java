package dev.vse.detect;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
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
            result.put(e.getKey(), instant(e.getValue().asText()));
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
        return value == null ? null : instant(value);
    }

    /**
     * A session snapshot record read without building a JSON tree (the load path: one per tracked session), with
     * exactly the result of {@code snapshot(emId, parse(payload))}; anything but a flat object of the value types
     * this codec writes is left to that (slower) way.
     *
     * @param kind the record kind required ({@code "s"}), or null when any (the lines of a snapshot file)
     * @return null when the record is of another kind (not a session snapshot)
     */
    static SessionSnapshot snapshot(String emId, byte[] payload, String kind) throws IOException {
        Fields f = new Fields();
        boolean flat;
        try (JsonParser p = FACTORY.createParser(payload)) {
            flat = f.read(p);
        } catch (IOException | RuntimeException e) {
            flat = false;
        }
        if (!flat) {
            JsonNode n = parse(payload);
            return kind == null || kind.equals(n.path("t").asText()) ? snapshot(emId, n) : null;
        }
        if (kind != null && !kind.equals(f.t)) {
            return null;
        }
        return new SessionSnapshot(emId, f.uid, f.sessionType, f.href, f.jobUid, f.jobName, f.jobType,
                f.backupServer, instantOrNull(f.creationTime), instantOrNull(f.endTime), f.state, f.result,
                f.progress, f.isRetry, f.terminalPublished, instantOrNull(f.lastChanged));
    }

    /** The fields of one flat record; {@link #read} says false at anything the tree path must judge. */
    private static final class Fields {
        String t;
        String uid;
        String sessionType;
        String href;
        String jobUid;
        String jobName;
        String jobType;
        String backupServer;
        String creationTime;
        String endTime;
        String state;
        String result;
        Integer progress;
        Boolean isRetry;
        boolean terminalPublished;
        String lastChanged;

        boolean read(JsonParser p) throws IOException {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return false;
            }
            for (JsonToken tok = p.nextToken(); tok != JsonToken.END_OBJECT; tok = p.nextToken()) {
                if (tok != JsonToken.FIELD_NAME) {
                    return false;
                }
                String name = p.currentName();
                JsonToken v = p.nextToken();
                if (v == JsonToken.START_OBJECT || v == JsonToken.START_ARRAY) {
                    return false;  // as written, records have no nested values
                }
                switch (name) {
                    case "progress" -> {
                        if (v == JsonToken.VALUE_NULL) {
                            progress = null;
                        } else if (v == JsonToken.VALUE_NUMBER_INT && p.getNumberType() == JsonParser.NumberType.INT) {
                            progress = p.getIntValue();
                        } else {
                            return false;
                        }
                    }
                    case "isRetry" -> {
                        if (v == JsonToken.VALUE_NULL) {
                            isRetry = null;
                        } else if (v == JsonToken.VALUE_TRUE || v == JsonToken.VALUE_FALSE) {
                            isRetry = v == JsonToken.VALUE_TRUE;
                        } else {
                            return false;
                        }
                    }
                    case "terminalPublished" -> {
                        if (v == JsonToken.VALUE_TRUE || v == JsonToken.VALUE_FALSE) {
                            terminalPublished = v == JsonToken.VALUE_TRUE;
                        } else {
                            return false;
                        }
                    }
                    default -> {
                        if (v != JsonToken.VALUE_STRING && v != JsonToken.VALUE_NULL) {
                            return false;
                        }
                        if (!text(name, v == JsonToken.VALUE_NULL ? null : p.getText())) {
                            return false;
                        }
                    }
                }
            }
            return true;
        }

        /** A text field; false for a field name this reader does not know (left to the tree path). */
        private boolean text(String name, String value) {
            switch (name) {
                case "t" -> t = value;
                case "uid" -> uid = value;
                case "sessionType" -> sessionType = value;
                case "href" -> href = value;
                case "jobUid" -> jobUid = value;
                case "jobName" -> jobName = value;
                case "jobType" -> jobType = value;
                case "backupServer" -> backupServer = value;
                case "creationTime" -> creationTime = value;
                case "endTime" -> endTime = value;
                case "state" -> state = value;
                case "result" -> result = value;
                case "lastChanged" -> lastChanged = value;
                default -> {
                    return false;
                }
            }
            return true;
        }
    }

    private static Instant instantOrNull(String value) {
        return value == null ? null : instant(value);
    }

    private static final int[] DAYS_IN_MONTH = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

    /**
     * {@link Instant#parse}, fast for the form {@link Instant#toString} writes for years 0000-9999
     * ({@code 2025-08-15T20:00:24.003406Z}); everything else goes to {@link Instant#parse} (same results, same
     * exceptions).
     */
    static Instant instant(String v) {
        int n = v.length();
        if (n < 20 || n > 30 || v.charAt(4) != '-' || v.charAt(7) != '-' || v.charAt(10) != 'T'
                || v.charAt(13) != ':' || v.charAt(16) != ':' || v.charAt(n - 1) != 'Z') {
            return Instant.parse(v);
        }
        int year = digits(v, 0, 4);
        int month = digits(v, 5, 2);
        int day = digits(v, 8, 2);
        int hour = digits(v, 11, 2);
        int minute = digits(v, 14, 2);
        int second = digits(v, 17, 2);
        int nano = 0;
        if (n > 20) {
            int fraction = n - 21;
            if (v.charAt(19) != '.' || fraction < 1 || fraction > 9) {
                return Instant.parse(v);
            }
            nano = digits(v, 20, fraction);
            if (nano < 0) {
                return Instant.parse(v);
            }
            for (int i = fraction; i < 9; i++) {
                nano *= 10;
            }
        }
        if (year < 0 || month < 1 || month > 12 || day < 1 || hour < 0 || hour > 23 || minute < 0 || minute > 59
                || second < 0 || second > 59
                || day > (month == 2 && java.time.Year.isLeap(year) ? 29 : DAYS_IN_MONTH[month - 1])) {
            return Instant.parse(v);  // leap seconds, invalid dates...: whatever Instant.parse makes of them
        }
        long epochDay = java.time.LocalDate.of(year, month, day).toEpochDay();
        return Instant.ofEpochSecond(epochDay * 86_400 + hour * 3_600 + minute * 60 + second, nano);
    }

    /** {@code len} ASCII digits at {@code from} as a number; -1 when any is not a digit. */
    private static int digits(String s, int from, int len) {
        int v = 0;
        for (int i = from; i < from + len; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }

    private static String str(Instant instant) {
        return instant == null ? null : instant.toString();
    }
}
