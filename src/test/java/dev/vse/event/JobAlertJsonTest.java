package dev.vse.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import io.cloudevents.CloudEvent;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The job alert value: what {@link JobAlertJson#toJson} writes follows the schema and reads back; what is not one is refused. */
class JobAlertJsonTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String EM = "em01";
    private static final String SOURCE = "https://em01.example.com:9398/api";
    private static final String JOB = "urn:veeam:Job:7f3e2c1a-0000-4000-8000-000000000001";
    private static final Instant FAILED_AT = Instant.parse("2026-12-01T02:14:07.123456Z");
    private static final Instant RESOLVED_AT = Instant.parse("2026-12-01T06:30:00Z");
    private static JsonSchema schema;

    @BeforeAll
    static void loadSchema() throws IOException {
        try (InputStream in = JobAlertJsonTest.class.getResourceAsStream("/schema/job-alert.v1.json")) {
            schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(in);
        }
    }

    /** As the pipeline opens an incident: three attempts, two VMs, one of them failed. */
    static JobAlert failed() {
        JobAlert.Status s = JobAlert.Status.FAILED;
        return new JobAlert(s, EventIds.jobAlert(EM, JOB, s.ceType(), "urn:veeam:BackupJobSession:1"), SOURCE, JOB,
                FAILED_AT, EM, JOB, "SQL Backup 03", "Backup", "vbr01.example.com", JobAlert.incidentKey(EM, JOB),
                "urn:veeam:BackupJobSession:3", "urn:veeam:BackupJobSession:1", 3, 2, FAILED_AT, null,
                "Processing sql01 Error: Failed to create VM snapshot",
                List.of(new TaskOutcome("sql01", "Failed", "Failed to create VM snapshot", "Completed",
                                "urn:veeam:BackupTaskSession:31", FAILED_AT),
                        new TaskOutcome("web01", "Success", null, "Completed", "urn:veeam:BackupTaskSession:32",
                                FAILED_AT.minusSeconds(30))),
                FAILED_AT.plusSeconds(5));
    }

    /** Its resolution; tasks unknown, retries unknown. */
    static JobAlert resolved() {
        JobAlert.Status s = JobAlert.Status.RESOLVED;
        return new JobAlert(s, EventIds.jobAlert(EM, JOB, s.ceType(), "urn:veeam:BackupJobSession:1"), SOURCE, JOB,
                RESOLVED_AT, EM, JOB, null, null, null, JobAlert.incidentKey(EM, JOB), "urn:veeam:BackupJobSession:4",
                "urn:veeam:BackupJobSession:1", 3, null, FAILED_AT, RESOLVED_AT, null, null, RESOLVED_AT.plusSeconds(1));
    }

    private static JobAlert read(JobAlert a, byte[] value) {
        return JobAlertJson.read(a.status().ceType(), a.id(), a.source(), a.subject(), a.time(), value);
    }

    private static byte[] bytes(JsonNode n) throws IOException {
        return MAPPER.writeValueAsBytes(n);
    }

    @Test
    void givenJobAlerts_whenWritten_thenTheValueFollowsTheSchema() throws IOException {
        for (JobAlert a : List.of(failed(), resolved())) {
            JsonNode n = MAPPER.readTree(JobAlertJson.toJson(a));

            assertThat(schema.validate(n)).as("%s", a.status()).isEmpty();
            assertThat(n.get("status").asText()).isEqualTo(a.status().value());
        }
    }

    @Test
    void givenJobAlerts_whenWrittenAndRead_thenEqual_alsoThroughTheCloudEvent() {
        CloudEventMapper mapper = new CloudEventMapper();
        for (JobAlert a : List.of(failed(), resolved())) {
            assertThat(read(a, JobAlertJson.toJson(a))).isEqualTo(a);

            CloudEvent ce = mapper.toCloudEvent(a);
            assertThat(ce.getType()).isEqualTo(a.status().ceType());
            assertThat(mapper.jobAlertFromCloudEvent(ce)).isEqualTo(a);
        }
    }

    @Test
    void givenNoCeType_whenRead_thenTheStatusDecides() {
        JobAlert back = JobAlertJson.read(null, null, null, null, null, JobAlertJson.toJson(resolved()));

        assertThat(back.status()).isEqualTo(JobAlert.Status.RESOLVED);
        assertThat(back.isFailed()).isFalse();
        assertThat(back.id()).isNull();
    }

    @Test
    void givenTheBridgesHelpers_thenFailedAndTheFailedTasks() {
        assertThat(failed().isFailed()).isTrue();
        assertThat(failed().failedTasks()).extracting(TaskOutcome::name).containsExactly("sql01");
        assertThat(resolved().failedTasks()).isEmpty();
    }

    @Test
    void givenAValueWithoutOptionalFields_whenRead_thenNullsAndZeroAttempts() throws IOException {
        ObjectNode n = (ObjectNode) MAPPER.readTree(JobAlertJson.toJson(failed()));
        n.putNull("attempts");
        n.remove("retriesAllowed");
        n.remove("detectedAt");
        n.remove("tasks");

        JobAlert back = read(failed(), bytes(n));

        assertThat(back.attempts()).isZero();
        assertThat(back.retriesAllowed()).isNull();
        assertThat(back.detectedAt()).isNull();
        assertThat(back.tasks()).isNull();
        assertThat(back.failedTasks()).isEmpty();
    }

    @Test
    void givenWhatIsNotAJobAlert_whenRead_thenRefusedWithAOneLineMessage() throws IOException {
        JobAlert f = failed();
        byte[] value = JobAlertJson.toJson(f);
        String failedType = JobAlert.Status.FAILED.ceType();
        String resolvedType = JobAlert.Status.RESOLVED.ceType();
        ObjectNode badStatus = (ObjectNode) MAPPER.readTree(value);
        badStatus.put("status", "open\nagain");
        ObjectNode noStatus = (ObjectNode) MAPPER.readTree(value);
        noStatus.remove("status");
        ObjectNode noKey = (ObjectNode) MAPPER.readTree(value);
        noKey.remove("incidentKey");
        ObjectNode noJob = (ObjectNode) MAPPER.readTree(value);
        noJob.putNull("jobUid");
        ObjectNode localTime = (ObjectNode) MAPPER.readTree(value);
        localTime.put("failedAt", "2026-12-01 02:14:07");
        ObjectNode taskTime = (ObjectNode) MAPPER.readTree(value);
        ((ObjectNode) taskTime.get("tasks").get(1)).put("endTime", "yesterday");

        List<Object[]> refusals = List.of(
                new Object[] {"em.session.failed.v1", value,
                        "ce_type 'em.session.failed.v1' is not em.job.failed.v1 or em.job.resolved.v1"},
                new Object[] {resolvedType, value, "status 'failed' contradicts ce_type em.job.resolved.v1"},
                new Object[] {failedType, JobAlertJson.toJson(resolved()),
                        "status 'resolved' contradicts ce_type em.job.failed.v1"},
                new Object[] {failedType, bytes(badStatus), "status 'open again' is not failed or resolved"},
                new Object[] {null, bytes(noStatus), "status null is not failed or resolved"},
                new Object[] {failedType, bytes(noKey), "incidentKey is missing"},
                new Object[] {failedType, bytes(noJob), "jobUid is missing"},
                new Object[] {failedType, bytes(localTime), "failedAt '2026-12-01 02:14:07' is not an ISO-8601 UTC timestamp"},
                new Object[] {failedType, bytes(taskTime), "tasks[1].endTime 'yesterday' is not an ISO-8601 UTC timestamp"},
                new Object[] {null, "{\"status\":".getBytes(StandardCharsets.UTF_8), "value is not JSON"},
                new Object[] {null, "[1, 2]".getBytes(StandardCharsets.UTF_8), "value is not a JSON object"},
                new Object[] {null, "\"failed\"".getBytes(StandardCharsets.UTF_8), "value is not a JSON object"},
                new Object[] {null, new byte[0], "value is not a JSON object"},
                new Object[] {failedType, null, "value is missing"});
        for (Object[] r : refusals) {
            assertThatThrownBy(() -> JobAlertJson.read((String) r[0], f.id(), f.source(), f.subject(), f.time(), (byte[]) r[1]))
                    .as("%s", r[2]).isExactlyInstanceOf(IllegalArgumentException.class).hasMessage((String) r[2]);
        }
    }
}
