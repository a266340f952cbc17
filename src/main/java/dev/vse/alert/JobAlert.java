package dev.vse.alert;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * One record of the job alerts topic (schema {@code schema/job-alert.v1.json}), read back: the value's fields plus
 * what the CloudEvents headers say ({@code ce_type}, {@code ce_source}). The record key is the job UID.
 */
public record JobAlert(String ceType, String source, String emServer, String jobUid, String jobName, String jobType,
                       String backupServer, boolean failed, String incidentKey, String sessionUid,
                       String firstFailedSessionUid, Integer attempts, Instant failedAt, Instant resolvedAt,
                       String failureMessage, List<Task> tasks) {
    /** {@code ce_type} of a job that failed. */
    public static final String FAILED_TYPE = "em.job.failed.v1";
    /** {@code ce_type} of a failed job that recovered. */
    public static final String RESOLVED_TYPE = "em.job.resolved.v1";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A task session of the failing session: a VM (or file share...) with its status and reason. */
    public record Task(String name, String status, String reason) {
        public boolean failed() {
            return "Failed".equalsIgnoreCase(status);
        }
    }

    /**
     * Reads a record's value; {@code ceType} (the {@code ce_type} header) may be null for a record without headers,
     * otherwise it must be one of the two job alert types and agree with {@code status}.
     *
     * @throws IllegalArgumentException (one line) when the record is not a job alert
     */
    public static JobAlert parse(String ceType, String source, byte[] value) {
        if (ceType != null && !ceType.equals(FAILED_TYPE) && !ceType.equals(RESOLVED_TYPE)) {
            throw new IllegalArgumentException("ce_type '" + ceType + "' is not " + FAILED_TYPE + " or " + RESOLVED_TYPE);
        }
        JsonNode n;
        try {
            n = JSON.readTree(value);
        } catch (IOException e) {
            throw new IllegalArgumentException("value is not JSON");
        }
        if (n == null || !n.isObject()) {
            throw new IllegalArgumentException("value is not a JSON object");
        }
        String status = text(n, "status");
        if (!"failed".equals(status) && !"resolved".equals(status)) {
            throw new IllegalArgumentException("status '" + status + "' is not failed or resolved");
        }
        boolean failed = status.equals("failed");
        if (ceType != null && failed != ceType.equals(FAILED_TYPE)) {
            throw new IllegalArgumentException("status '" + status + "' contradicts ce_type " + ceType);
        }
        String incidentKey = text(n, "incidentKey");
        if (incidentKey == null) {
            throw new IllegalArgumentException("incidentKey is missing");
        }
        List<Task> tasks = null;
        if (n.has("tasks") && n.get("tasks").isArray()) {
            tasks = new ArrayList<>();
            for (JsonNode t : n.get("tasks")) {
                tasks.add(new Task(text(t, "name"), text(t, "status"), text(t, "reason")));
            }
        }
        return new JobAlert(ceType == null ? (failed ? FAILED_TYPE : RESOLVED_TYPE) : ceType, source,
                text(n, "emServer"), text(n, "jobUid"), text(n, "jobName"), text(n, "jobType"), text(n, "backupServer"),
                failed, incidentKey, text(n, "sessionUid"), text(n, "firstFailedSessionUid"),
                n.hasNonNull("attempts") && n.get("attempts").canConvertToInt() ? n.get("attempts").intValue() : null,
                instant(n, "failedAt"), instant(n, "resolvedAt"), text(n, "failureMessage"),
                tasks == null ? null : List.copyOf(tasks));
    }

    /** The tasks whose status is {@code Failed}; empty without tasks. */
    public List<Task> failedTasks() {
        return tasks == null ? List.of() : tasks.stream().filter(Task::failed).toList();
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    private static Instant instant(JsonNode n, String field) {
        String v = text(n, field);
        if (v == null) {
            return null;
        }
        try {
            return Instant.parse(v);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(field + " '" + v + "' is not an ISO-8601 UTC timestamp");
        }
    }
}
