package dev.vse.event;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import dev.vse.pipeline.DeadLetters;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.net.URL;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The AsyncAPI document (classpath {@code asyncapi/asyncapi.yaml}, so also in the jar) is valid AsyncAPI 3.0.0
 * (the official JSON Schema, vendored from {@code @asyncapi/specs}), names every topic of DESIGN.md with its key,
 * CloudEvents type and compaction, its references resolve inside the document and to the JSON Schemas of
 * {@code schema/}, those are valid 2020-12 schemas, its examples validate against them, and the heartbeat and DLQ
 * schemas say what DESIGN.md and {@link DeadLetters} say. {@code AsyncApiCliIT} runs the AsyncAPI CLI as well.
 */
class AsyncApiDocumentTest {
    static final String DOCUMENT = "asyncapi/asyncapi.yaml";
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonSchemaFactory DRAFT_2020_12 = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);

    /** DESIGN.md "Topics" and "More topics and records": address -> how its key's description starts, ce_types, compacted. */
    record Topic(String key, Set<String> ceTypes, boolean compacted) { }

    private static final String SESSION_KEY = "The session UID";
    private static final String EM_KEY = "The configured EM id";

    static final Map<String, Topic> TOPICS = topics();

    private static JsonNode doc;

    private static Map<String, Topic> topics() {
        Map<String, Topic> t = new LinkedHashMap<>();
        t.put("veeam.em.session.completed", new Topic(SESSION_KEY, Set.of(EventType.COMPLETED.ceType()), false));
        t.put("veeam.em.session.failed", new Topic(SESSION_KEY, Set.of(EventType.FAILED.ceType()), false));
        t.put("veeam.em.session.changes", new Topic(SESSION_KEY, Set.of(EventType.CHANGED.ceType()), false));
        t.put("veeam.em.dlq", new Topic(EM_KEY, Set.of(), false));
        t.put("veeam.em.heartbeat", new Topic(EM_KEY, Set.of("em.heartbeat.v1"), true));
        t.put("veeam.em.job.alerts", new Topic("The job UID", Set.of("em.job.failed.v1", "em.job.resolved.v1"), true));
        t.put("veeam.em.state", new Topic("Internal", Set.of(), true));
        return t;
    }

    @BeforeAll
    static void load() throws IOException {
        try (InputStream in = AsyncApiDocumentTest.class.getClassLoader().getResourceAsStream(DOCUMENT)) {
            assertThat(in).as(DOCUMENT + " on the classpath (shipped in the jar)").isNotNull();
            doc = YAML.readTree(in);
        }
    }

    @Test
    void document_isValidAsyncApi300_byTheOfficialJsonSchema() throws IOException {
        JsonSchema asyncapi;
        try (InputStream in = AsyncApiDocumentTest.class.getResourceAsStream("/asyncapi-spec/asyncapi-3.0.0.schema.json")) {
            asyncapi = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V7).getSchema(in);
        }
        assertThat(doc.path("asyncapi").asText()).isEqualTo("3.0.0");
        assertThat(asyncapi.validate(doc)).as("AsyncAPI 3.0.0 schema errors").isEmpty();

        // the check bites: a channel without its required shape, an operation with an unknown action
        ObjectNode broken = doc.deepCopy();
        ((ObjectNode) broken.path("operations").path("publishHeartbeat")).put("action", "publish");
        assertThat(asyncapi.validate(broken)).isNotEmpty();
    }

    @Test
    void everyTopic_hasOneChannel_withItsKeyCeTypesAndCompaction() throws IOException {
        Map<String, JsonNode> byAddress = new LinkedHashMap<>();
        doc.path("channels").forEach(c -> byAddress.put(c.path("address").asText(), c));
        assertThat(byAddress.keySet()).containsExactlyInAnyOrderElementsOf(TOPICS.keySet());

        TOPICS.forEach((address, topic) -> {
            JsonNode channel = byAddress.get(address);
            JsonNode binding = channel.path("bindings").path("kafka");
            assertThat(binding.path("topic").asText()).as("kafka binding topic of %s", address).isEqualTo(address);
            assertThat(binding.path("topicConfiguration").path("cleanup.policy").toString().contains("compact"))
                    .as("%s compacted", address).isEqualTo(topic.compacted());
            assertThat(channel.path("description").asText()).as("description of %s", address).isNotBlank();

            Set<String> ceTypes = new LinkedHashSet<>();
            channel.path("messages").forEach(ref -> {
                JsonNode message = resolveLocal(ref.path("$ref").asText());
                assertThat(message.isMissingNode()).as("message %s of %s", ref, address).isFalse();
                JsonNode key = message.path("bindings").path("kafka").path("key");
                assertThat(key.path("type").asText()).as("key of %s", address).isEqualTo("string");
                assertThat(key.path("description").asText()).as("key of %s", address).startsWith(topic.key());
                JsonNode ceType = constCeType(message.path("headers"));
                if (ceType != null) {
                    ceTypes.add(ceType.asText());
                    assertThat(message.path("name").asText()).as("name of the %s message", ceType).isEqualTo(ceType.asText());
                    assertThat(message.path("headers").path("allOf").get(0).path("$ref").asText())
                            .isEqualTo("#/components/schemas/cloudEventHeaders");
                }
            });
            assertThat(ceTypes).as("ce_types on %s", address).containsExactlyInAnyOrderElementsOf(topic.ceTypes());
        });
        assertThat(byAddress.get("veeam.em.state").path("description").asText()).startsWith("INTERNAL");

        // the session topics are the pipeline's defaults
        Properties defaults = new Properties();
        try (InputStream in = AsyncApiDocumentTest.class.getResourceAsStream("/application.properties")) {
            defaults.load(in);
        }
        for (String key : List.of("topic.completed", "topic.failed", "topic.changes", "topic.dlq")) {
            assertThat(TOPICS).containsKey(defaults.getProperty(key));
        }
    }

    @Test
    void cloudEventHeaders_areTheBinaryModeAttributes() {
        JsonNode ce = doc.path("components").path("schemas").path("cloudEventHeaders");
        assertThat(names(ce.path("required"))).containsExactlyInAnyOrder(
                "ce_specversion", "ce_id", "ce_source", "ce_type", "ce_time", "content-type");
        assertThat(names(ce.path("properties").fieldNames())).containsExactlyInAnyOrder(
                "ce_specversion", "ce_id", "ce_source", "ce_type", "ce_subject", "ce_time", "content-type");
        assertThat(ce.path("properties").path("ce_specversion").path("const").asText()).isEqualTo("1.0");
        assertThat(ce.path("properties").path("content-type").path("const").asText()).isEqualTo("application/json");
        for (String session : List.of("sessionCompleted", "sessionFailed", "sessionChanged")) {
            assertThat(names(doc.path("components").path("messages").path(session).path("headers").path("allOf").get(1)
                    .path("required"))).as("%s requires ce_subject", session).contains("ce_subject");
        }
    }

    /** Every $ref resolves: "#/..." inside the document, files beside it (as in the jar) with their fragment. */
    @Test
    void everyReference_resolves_andFileSchemasAreValid202012() throws IOException {
        Map<String, String> refs = new LinkedHashMap<>();
        collectRefs(doc, "", refs);
        assertThat(refs).isNotEmpty();
        Set<String> files = new LinkedHashSet<>();
        for (Map.Entry<String, String> e : refs.entrySet()) {
            String ref = e.getValue();
            if (ref.startsWith("#")) {
                assertThat(resolveLocal(ref).isMissingNode()).as("%s at %s", ref, e.getKey()).isFalse();
            } else {
                String file = ref.contains("#") ? ref.substring(0, ref.indexOf('#')) : ref;
                String fragment = ref.contains("#") ? ref.substring(ref.indexOf('#') + 1) : "";
                JsonNode schema = classpathJson(resourceBeside(file));
                assertThat(schema.at(fragment).isMissingNode()).as("%s at %s", ref, e.getKey()).isFalse();
                files.add(resourceBeside(file));
            }
        }
        assertThat(files).containsExactlyInAnyOrder("schema/session-event.v1.json", "schema/heartbeat.v1.json",
                "schema/dlq-record.v1.json", "schema/job-alert.v1.json");

        JsonSchema meta = DRAFT_2020_12.getSchema(SchemaLocation.of("https://json-schema.org/draft/2020-12/schema"));
        for (String file : files) {
            JsonNode schema = classpathJson(file);
            assertThat(schema.path("$schema").asText()).isEqualTo("https://json-schema.org/draft/2020-12/schema");
            assertThat(meta.validate(schema)).as("%s against the 2020-12 meta-schema", file).isEmpty();
            assertThat(schema.path("$id").asText()).as("$id of %s", file).endsWith(file.substring("schema/".length()));
        }
    }

    @Test
    void examples_validateAgainstTheirSchemas() throws IOException {
        JsonNode messages = doc.path("components").path("messages");
        int checked = 0;
        for (Map.Entry<String, JsonNode> m : iterable(messages)) {
            for (JsonNode example : m.getValue().path("examples")) {
                String payloadRef = m.getValue().path("payload").path("$ref").asText();
                assertThat(payloadRef).as("payload of %s is a file schema", m.getKey()).startsWith("../schema/");
                JsonSchema payload = fileSchema(payloadRef);
                assertThat(payload.validate(example.path("payload"))).as("payload of example %s", example.path("name")).isEmpty();
                JsonNode headers = m.getValue().path("headers");
                if (headers.has("$ref")) {
                    assertThat(fileSchema(headers.path("$ref").asText()).validate(example.path("headers")))
                            .as("headers of example %s", example.path("name")).isEmpty();
                } else {
                    JsonNode ceType = constCeType(headers);
                    assertThat(example.path("headers").path("ce_type").asText()).isEqualTo(ceType.asText());
                    assertThat(names(example.path("headers").fieldNames())).containsAll(
                            names(doc.path("components").path("schemas").path("cloudEventHeaders").path("required")));
                }
                checked++;
            }
        }
        assertThat(checked).as("examples checked").isGreaterThanOrEqualTo(3);
    }

    /** DESIGN.md "More topics and records", heartbeat: exactly these fields, all required, status closed. */
    @Test
    void heartbeatSchema_isDesignsFieldList() throws IOException {
        JsonNode schema = classpathJson("schema/heartbeat.v1.json");
        List<String> design = List.of("emServer", "at", "lastCycleAt", "lastSuccessfulCycleAt", "status", "lastError",
                "watermarks", "sessionsTracked", "sessionsRunning", "eventsPublished");
        assertThat(names(schema.path("required"))).containsExactlyInAnyOrderElementsOf(design);
        assertThat(names(schema.path("properties").fieldNames())).containsExactlyInAnyOrderElementsOf(design);
        assertThat(names(schema.path("properties").path("status").path("enum")))
                .containsExactly("ok", "em-unavailable", "auth-refused", "em-error", "kafka-unavailable");

        JsonSchema heartbeat = fileSchema("../schema/heartbeat.v1.json");
        ObjectNode ok = (ObjectNode) JSON.readTree("""
                {"emServer":"em01","at":"2025-08-16T05:32:00Z","lastCycleAt":"2025-08-16T05:31:00.120Z",
                 "lastSuccessfulCycleAt":"2025-08-16T05:31:00.120Z","status":"ok","lastError":null,
                 "watermarks":{"BackupJobSession":"2025-08-16T05:30:00Z","ReplicaJobSession":null},
                 "sessionsTracked":412,"sessionsRunning":7,"eventsPublished":1380}""");
        assertThat(heartbeat.validate(ok)).isEmpty();
        ObjectNode firstBeat = ok.deepCopy().put("status", "em-unavailable").put("lastError", "EM em01: connection refused");
        firstBeat.putNull("lastCycleAt").putNull("lastSuccessfulCycleAt").putObject("watermarks");
        assertThat(heartbeat.validate(firstBeat)).as("before the first cycle").isEmpty();

        assertRejected(heartbeat, ok, n -> n.put("status", "down"));
        assertRejected(heartbeat, ok, n -> n.remove("watermarks"));
        assertRejected(heartbeat, ok, n -> n.remove("lastError"));
        assertRejected(heartbeat, ok, n -> n.put("lastError", "ok but an error"));
        assertRejected(heartbeat, ok, n -> n.put("lastError", "two\nlines").put("status", "em-error"));
        assertRejected(heartbeat, ok, n -> n.put("at", "2025-08-16 05:32:00"));
        assertRejected(heartbeat, ok, n -> n.put("sessionsRunning", -1));
        assertRejected(heartbeat, ok, n -> n.putObject("watermarks").put("BackupJobSession", "yesterday"));
    }

    /** The DLQ headers are the ones {@link DeadLetters} writes; the body is raw bytes. */
    @Test
    void dlqSchema_namesTheHeadersDeadLettersWrites() throws Exception {
        JsonNode headers = classpathJson("schema/dlq-record.v1.json").at("/$defs/headers");
        Set<String> written = new LinkedHashSet<>();
        for (Field f : DeadLetters.class.getFields()) {
            if (Modifier.isStatic(f.getModifiers()) && f.getName().startsWith("H_")) {
                written.add((String) f.get(null));
            }
        }
        assertThat(names(headers.path("properties").fieldNames())).containsExactlyInAnyOrderElementsOf(written);
        assertThat(names(headers.path("required"))).containsExactlyInAnyOrder(DeadLetters.H_EM, DeadLetters.H_EM_URL,
                DeadLetters.H_REQUEST, DeadLetters.H_ERROR, DeadLetters.H_ERROR_KIND, DeadLetters.H_RECEIVED_AT);
        assertThat(headers.at("/properties/vse.error.kind/examples").toString()).contains(DeadLetters.KIND_SESSION, "MALFORMED");
        JsonNode payload = classpathJson("schema/dlq-record.v1.json").at("/$defs/payload");
        assertThat(payload.path("format").asText()).isEqualTo("binary");
        assertThat(payload.path("maxLength").asInt()).isEqualTo(DeadLetters.MAX_DLQ_BODY_BYTES);
        assertThat(doc.at("/components/messages/deadLetter/contentType").asText()).isEqualTo("application/octet-stream");

        JsonSchema schema = fileSchema("../schema/dlq-record.v1.json#/$defs/headers");
        ObjectNode parked = (ObjectNode) JSON.readTree("""
                {"vse.em":"em01","vse.em.url":"https://em01:9398/api","vse.request":"GET https://em01:9398/api/query?page=2",
                 "vse.error":"not XML","vse.error.kind":"UNPROCESSABLE_SESSION","vse.received.at":"2025-08-16T05:31:10.412Z",
                 "vse.session.uid":"urn:veeam:BackupJobSession:1"}""");
        assertThat(schema.validate(parked)).isEmpty();
        assertThat(schema.validate(parked.deepCopy().put("vse.body.size", "2000000").put("vse.body.truncated", "true"))).isEmpty();
        assertRejected(schema, parked, n -> n.remove("vse.error.kind"));
        assertRejected(schema, parked, n -> n.put("vse.body.truncated", "true"));
        assertRejected(schema, parked, n -> n.put("vse.error", "two\nlines"));
    }

    // --- helpers -------------------------------------------------------------------------------------------

    private static void assertRejected(JsonSchema schema, ObjectNode valid, Consumer<ObjectNode> change) {
        ObjectNode n = valid.deepCopy();
        change.accept(n);
        Set<ValidationMessage> errors = schema.validate(n);
        assertThat(errors).as("rejected: %s", n).isNotEmpty();
    }

    /** The ce_type const of a CloudEvents message's headers (allOf [cloudEventHeaders, {ce_type: const}]), or null. */
    private static JsonNode constCeType(JsonNode headers) {
        for (JsonNode part : headers.path("allOf")) {
            JsonNode c = part.path("properties").path("ce_type").path("const");
            if (!c.isMissingNode()) {
                return c;
            }
        }
        return null;
    }

    private static JsonNode resolveLocal(String ref) {
        assertThat(ref).startsWith("#/");
        String pointer = ref.substring(1);
        return doc.at(pointer);
    }

    private static void collectRefs(JsonNode node, String path, Map<String, String> out) {
        if (node.isObject()) {
            node.fields().forEachRemaining(e -> {
                if (e.getKey().equals("$ref") && e.getValue().isTextual()) {
                    out.put(path, e.getValue().asText());
                } else {
                    collectRefs(e.getValue(), path + "/" + e.getKey(), out);
                }
            });
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                collectRefs(node.get(i), path + "/" + i, out);
            }
        }
    }

    /** "../schema/x.json" relative to asyncapi/asyncapi.yaml -> "schema/x.json". */
    private static String resourceBeside(String relative) {
        assertThat(relative).startsWith("../");
        return relative.substring("../".length());
    }

    private static final Map<String, JsonNode> FILES = new HashMap<>();

    private static JsonNode classpathJson(String resource) throws IOException {
        JsonNode cached = FILES.get(resource);
        if (cached == null) {
            URL url = AsyncApiDocumentTest.class.getClassLoader().getResource(resource);
            assertThat(url).as(resource + " on the classpath").isNotNull();
            cached = JSON.readTree(url);
            FILES.put(resource, cached);
        }
        return cached;
    }

    /** The schema of a file reference, its fragment (e.g. #/$defs/headers) as the root. */
    private static JsonSchema fileSchema(String ref) throws IOException {
        String file = ref.contains("#") ? ref.substring(0, ref.indexOf('#')) : ref;
        ObjectNode root = classpathJson(resourceBeside(file)).deepCopy();
        if (ref.contains("#")) {
            root.put("$ref", ref.substring(ref.indexOf('#')));
        }
        return DRAFT_2020_12.getSchema(root);
    }

    private static List<String> names(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    private static List<String> names(java.util.Iterator<String> it) {
        List<String> out = new ArrayList<>();
        it.forEachRemaining(out::add);
        return out;
    }

    private static Iterable<Map.Entry<String, JsonNode>> iterable(JsonNode object) {
        return object::fields;
    }

    static List<String> topicNames() {
        return Arrays.asList(TOPICS.keySet().toArray(String[]::new));
    }
}
