package dev.vse.alert;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import java.net.URI;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Job alert records in the contract format (DESIGN.md "More topics and records", schema/job-alert.v1.json). */
public final class TestJobAlerts {
    private static final ObjectMapper JSON = new ObjectMapper();
    public static final String EM = "em01";
    public static final String EM_URL = "https://em01.example.com:9398/api";

    private TestJobAlerts() { }

    public static String incidentKey(String jobUid) {
        return "veeam:" + EM + ":" + jobUid;
    }

    /** The value of a {@code failed} record of job {@code jobUid} (named {@code jobName}): two VMs, one failed. */
    public static Map<String, Object> failed(String jobUid, String jobName, Instant failedAt) {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("emServer", EM);
        v.put("jobUid", jobUid);
        v.put("jobName", jobName);
        v.put("jobType", "Backup");
        v.put("backupServer", "vbr01.example.com");
        v.put("status", "failed");
        v.put("incidentKey", incidentKey(jobUid));
        v.put("sessionUid", "urn:veeam:BackupJobSession:" + jobUid.hashCode() + "-3");
        v.put("firstFailedSessionUid", "urn:veeam:BackupJobSession:" + jobUid.hashCode() + "-1");
        v.put("attempts", 3);
        v.put("failedAt", failedAt.toString());
        v.put("resolvedAt", null);
        v.put("failureMessage", "Processing sql01 Error: Failed to create VM snapshot");
        v.put("tasks", List.of(
                task("sql01", "Failed", "Failed to create VM snapshot. Error: Insufficient disk space"),
                task("web01", "Success", null)));
        return v;
    }

    /** The value of the {@code resolved} record that ends {@code failed}. */
    public static Map<String, Object> resolved(Map<String, Object> failed, Instant resolvedAt) {
        Map<String, Object> v = new LinkedHashMap<>(failed);
        v.put("status", "resolved");
        v.put("sessionUid", "urn:veeam:BackupJobSession:" + failed.get("jobUid").hashCode() + "-4");
        v.put("resolvedAt", resolvedAt.toString());
        v.put("tasks", List.of(task("sql01", "Success", null), task("web01", "Success", null)));
        return v;
    }

    private static Map<String, Object> task(String name, String status, String reason) {
        Map<String, Object> t = new LinkedHashMap<>();
        t.put("name", name);
        t.put("status", status);
        t.put("reason", reason);
        return t;
    }

    public static byte[] json(Map<String, Object> value) {
        try {
            return JSON.writeValueAsBytes(value);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The record's CloudEvent, as the producer builds it with the SDK (binary mode through CloudEventSerializer). */
    public static CloudEvent event(Map<String, Object> value) {
        boolean failed = value.get("status").equals("failed");
        Instant time = Instant.parse((String) (failed ? value.get("failedAt") : value.get("resolvedAt")));
        return CloudEventBuilder.v1()
                .withId(value.get("incidentKey") + ":" + value.get("status") + ":" + value.get("sessionUid"))
                .withSource(URI.create(EM_URL))
                .withType(failed ? JobAlert.FAILED_TYPE : JobAlert.RESOLVED_TYPE)
                .withSubject((String) value.get("jobUid"))
                .withTime(time.atOffset(ZoneOffset.UTC))
                .withDataContentType("application/json")
                .withData(json(value))
                .build();
    }

    public static JobAlert parse(Map<String, Object> value) {
        return JobAlert.parse(value.get("status").equals("failed") ? JobAlert.FAILED_TYPE : JobAlert.RESOLVED_TYPE, EM_URL, json(value));
    }
}
