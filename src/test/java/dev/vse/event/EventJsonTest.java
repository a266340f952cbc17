package dev.vse.event;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class EventJsonTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final List<String> CONTRACT_FIELDS = List.of("emServer", "sessionUid", "sessionType",
            "sessionName", "jobUid", "jobName", "jobType", "backupServer", "creationTime", "endTime", "state",
            "result", "progress", "isRetry", "previousState", "previousResult");
    private static JsonSchema schema;

    @BeforeAll
    static void loadSchema() throws IOException {
        try (InputStream in = EventJsonTest.class.getResourceAsStream("/schema/session-event.v1.json")) {
            schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(in);
        }
    }

    private static JsonNode json(SessionEvent e) throws IOException {
        return MAPPER.readTree(EventJson.toJson(e));
    }

    @Test
    void givenFailedEvent_whenSerialised_thenContractFieldsInCamelCaseWithUtcTimestamps() throws IOException {
        JsonNode n = json(TestEvents.failed());

        assertThat(n.fieldNames()).toIterable().containsAll(CONTRACT_FIELDS);
        assertThat(n.get("sessionUid").asText()).isEqualTo(TestEvents.UID);
        assertThat(n.get("endTime").asText()).isEqualTo("2025-08-15T20:00:24.003406Z");
        assertThat(n.get("creationTime").asText()).isEqualTo("2025-08-15T19:40:00Z");
        assertThat(n.get("progress").isInt()).isTrue();
        assertThat(n.get("isRetry").isBoolean()).isTrue();
        assertThat(n.get("previousState").asText()).isEqualTo("Working");
        assertThat(n.get("backupServer").asText()).isEqualTo("srv02.tech.local");
    }

    @Test
    void givenFirstSightOfRunningSession_whenSerialised_thenAbsentValuesAreExplicitNulls() throws IOException {
        JsonNode n = json(TestEvents.firstSightRunning());

        for (String field : List.of("endTime", "previousState", "previousResult", "result", "isRetry", "progress")) {
            assertThat(n.has(field)).as(field).isTrue();
            assertThat(n.get(field).isNull()).as(field).isTrue();
        }
    }

    @Test
    void givenProducedEvents_whenValidated_thenConformToSchema() throws IOException {
        for (SessionEvent e : List.of(TestEvents.failed(), TestEvents.firstSightRunning())) {
            Set<ValidationMessage> errors = schema.validate(json(e));

            assertThat(errors).as("%s", e.type()).isEmpty();
        }
    }

    @Test
    void givenBrokenEvents_whenValidated_thenSchemaRejectsThem() throws IOException {
        ObjectNode missingField = (ObjectNode) json(TestEvents.failed());
        missingField.remove("previousState");
        ObjectNode localTime = (ObjectNode) json(TestEvents.failed());
        localTime.put("endTime", "2025-08-15 20:00:24");
        ObjectNode wrongType = (ObjectNode) json(TestEvents.failed());
        wrongType.put("isRetry", "yes");
        ObjectNode nullUid = (ObjectNode) json(TestEvents.failed());
        nullUid.putNull("sessionUid");

        for (ObjectNode broken : List.of(missingField, localTime, wrongType, nullUid)) {
            assertThat(schema.validate(broken)).as("%s", broken).isNotEmpty();
        }
    }

    @Test
    void givenUnknownStateValues_whenValidated_thenAcceptedAsOpenStrings() throws IOException {
        ObjectNode n = (ObjectNode) json(TestEvents.failed());
        n.put("state", "WaitingRepository");
        n.put("result", "None");

        assertThat(schema.validate(n)).isEmpty();
    }

    @Test
    void givenSerialisedEvent_whenParsedBack_thenEqual() {
        SessionEvent e = TestEvents.failed();

        SessionEvent back = EventJson.fromJson(EventJson.toJson(e), e.type(), e.id(), e.source(), e.subject(), e.time());

        assertThat(back).isEqualTo(e);
    }
}
