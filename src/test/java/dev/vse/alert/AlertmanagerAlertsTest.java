package dev.vse.alert;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vse.event.JobAlert;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Job alert record -> Alertmanager v2 alert (labels, annotations, startsAt/endsAt). */
class AlertmanagerAlertsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String JOB = "urn:veeam:Job:7f3e2c1a-0000-4000-8000-000000000001";
    private static final Instant FAILED_AT = Instant.parse("2026-12-01T02:14:07Z");
    private static final Instant RESOLVED_AT = Instant.parse("2026-12-01T06:30:00.250Z");
    private static final Instant NOW = Instant.parse("2026-12-01T03:00:00Z");
    private final AlertmanagerAlerts alerts = new AlertmanagerAlerts("critical", Duration.ofMinutes(4));

    private static JsonNode json(Map<String, Object> alert) throws IOException {
        return JSON.readTree(AlertmanagerAlerts.json(List.of(alert))).get(0);
    }

    @Test
    void givenFailedRecord_whenMapped_thenActiveAlertWithTheLabelsAnnotationsAndEndsAtFourIntervalsAhead() throws IOException {
        JobAlert failed = TestJobAlerts.failed(JOB, "SQL Backup 03", FAILED_AT);

        JsonNode a = json(alerts.of(new Incidents.State(failed, failed, 0, 7), NOW));

        assertThat(JSON.convertValue(a.get("labels"), Map.class)).containsExactlyInAnyOrderEntriesOf(Map.of(
                "alertname", "VeeamJobFailed", "em", "em01", "job", "SQL Backup 03", "backup_server", "vbr01.example.com",
                "severity", "critical", "incident_key", "veeam:em01:" + JOB));
        JsonNode ann = a.get("annotations");
        assertThat(ann.get("summary").asText()).isEqualTo("Veeam job 'SQL Backup 03' failed on vbr01.example.com (EM em01), 3 attempts");
        assertThat(ann.get("description").asText()).isEqualTo("Processing sql01 Error: Failed to create VM snapshot\n"
                + "Failed VMs (1):\n- sql01: Failed to create VM snapshot. Error: Insufficient disk space");
        assertThat(ann.get("failed_vms").asText()).isEqualTo("sql01");
        assertThat(ann.get("failure_message").asText()).isEqualTo("Processing sql01 Error: Failed to create VM snapshot");
        assertThat(ann.get("session_uid").asText()).isEqualTo(failed.sessionUid());
        assertThat(ann.get("job_uid").asText()).isEqualTo(JOB);
        assertThat(a.get("startsAt").asText()).isEqualTo("2026-12-01T02:14:07Z");
        assertThat(a.get("endsAt").asText()).isEqualTo("2026-12-01T03:04:00Z");
        assertThat(a.get("generatorURL").asText()).isEqualTo(TestJobAlerts.EM_URL);
        assertThat(a.fieldNames()).toIterable().containsExactly("labels", "annotations", "startsAt", "endsAt", "generatorURL");
    }

    @Test
    void givenResolvedRecordAfterItsFailure_whenMapped_thenTheSameLabelsAndEndsAtResolvedAt() throws IOException {
        JobAlert failed = TestJobAlerts.failed(JOB, "SQL Backup 03", FAILED_AT);
        // the resolution's own fields may differ (here: no backup server): the labels stay those of the failure
        JobAlert r = TestJobAlerts.resolved(failed, RESOLVED_AT);
        JobAlert resolved = TestJobAlerts.with(r, r.jobName(), null, r.attempts(), r.failureMessage(), r.tasks());

        JsonNode open = json(alerts.of(new Incidents.State(failed, failed, 0, 7), NOW));
        JsonNode a = json(alerts.of(new Incidents.State(resolved, failed, 0, 9), NOW));

        assertThat(a.get("labels")).isEqualTo(open.get("labels"));
        assertThat(a.get("startsAt").asText()).isEqualTo("2026-12-01T02:14:07Z");
        assertThat(a.get("endsAt").asText()).isEqualTo("2026-12-01T06:30:00.250Z");
        assertThat(a.get("annotations").get("resolved_session_uid").asText()).isEqualTo(resolved.sessionUid());
    }

    @Test
    void givenResolvedRecordWithoutKnownFailure_whenMapped_thenResolvedAlertFromItsOwnFields() throws IOException {
        JobAlert resolved = TestJobAlerts.resolved(TestJobAlerts.failed(JOB, "SQL Backup 03", FAILED_AT), RESOLVED_AT);

        JsonNode a = json(alerts.of(new Incidents.State(resolved, null, 0, 9), NOW));

        assertThat(a.get("labels").get("incident_key").asText()).isEqualTo("veeam:em01:" + JOB);
        assertThat(a.get("labels").get("backup_server").asText()).isEqualTo("vbr01.example.com");
        assertThat(a.get("endsAt").asText()).isEqualTo("2026-12-01T06:30:00.250Z");
    }

    @Test
    void givenTombstone_whenMapped_thenTheKnownFailureEndsNow_andWithoutOneNothingIsSent() {
        JobAlert failed = TestJobAlerts.failed(JOB, "SQL Backup 03", FAILED_AT);

        Map<String, Object> a = alerts.of(new Incidents.State(null, failed, 0, 9), NOW);

        assertThat(a.get("endsAt")).isEqualTo("2026-12-01T03:00:00Z");
        assertThat(alerts.of(new Incidents.State(null, null, 0, 9), NOW)).isNull();
    }

    @Test
    void givenUnknownNameAndServer_whenMapped_thenNoEmptyLabels_andTheJobUidNamesTheJob() throws IOException {
        JobAlert v = TestJobAlerts.with(TestJobAlerts.failed(JOB, null, FAILED_AT), null, null, 1, null, null);

        JsonNode a = json(alerts.of(new Incidents.State(v, null, 0, 1), NOW));

        assertThat(a.get("labels").has("backup_server")).isFalse();
        assertThat(a.get("labels").get("job").asText()).isEqualTo(JOB);
        assertThat(a.get("annotations").get("summary").asText()).isEqualTo("Veeam job '" + JOB + "' failed (EM em01), 1 attempt");
        assertThat(a.get("annotations").get("description").asText()).isEqualTo(a.get("annotations").get("summary").asText());
        assertThat(a.get("annotations").has("failed_vms")).isFalse();
    }
}
