package dev.vse.incident;

import static dev.vse.event.EventJson.instant;
import static dev.vse.event.EventJson.str;
import static dev.vse.event.EventJson.text;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vse.event.EventJson;
import dev.vse.event.TaskOutcome;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * What this service remembers about one job between a failure and the end of its incident, committed with the page
 * that changed it (so pending deadlines survive restarts and crashes).
 *
 * <p>{@link Phase#PENDING}: a run failed and Veeam may still retry it; the job fails at {@code deadline} unless a
 * retry has started by then. {@link Phase#OPEN}: the job failed, {@code em.job.failed.v1} was published, and the
 * next successful or warning run resolves it.
 *
 * @param attempts        failed sessions of the incident so far
 * @param chainAttempts   failed sessions of the current retry chain (1: the scheduled run failed, no retry yet)
 * @param deadline        the last instant at which a retry of the last failure may start (its end + RetryTimeout +
 *                        POLL_LAG_MARGIN)
 * @param retryRunningUid a retry that started in time and has not ended yet: no deadline while it runs
 * @param openedAt        when the job was declared failed (null while pending)
 * @param tasks           the task sessions of the last failure (those that need attention), null when unreadable
 */
public record IncidentState(Phase phase, String jobUid, String jobName, String jobType, String backupServer,
                            String sessionType, String firstFailedSessionUid, int attempts, int chainAttempts,
                            String lastFailedSessionUid, Instant lastFailedCreation, Instant lastFailedEnd,
                            int retries, Duration retryTimeout, String policySource, Instant deadline,
                            String retryRunningUid, Instant openedAt, String failureMessage, List<TaskOutcome> tasks) {

    public enum Phase { PENDING, OPEN }

    private static final ObjectMapper MAPPER = new ObjectMapper();

    public IncidentState {
        tasks = tasks == null ? null : List.copyOf(tasks);
    }

    /** Retries left in the current chain. */
    public int retriesLeft() {
        return Math.max(0, retries - (chainAttempts - 1));
    }

    IncidentState open(Instant at) {
        return new IncidentState(Phase.OPEN, jobUid, jobName, jobType, backupServer, sessionType, firstFailedSessionUid,
                attempts, chainAttempts, lastFailedSessionUid, lastFailedCreation, lastFailedEnd, retries, retryTimeout,
                policySource, deadline, null, at, failureMessage, tasks);
    }

    IncidentState retryRunning(String uid) {
        return new IncidentState(phase, jobUid, jobName, jobType, backupServer, sessionType, firstFailedSessionUid,
                attempts, chainAttempts, lastFailedSessionUid, lastFailedCreation, lastFailedEnd, retries, retryTimeout,
                policySource, deadline, uid, openedAt, failureMessage, tasks);
    }

    /** The JSON the state store keeps. */
    public String encode() {
        StringWriter out = new StringWriter(512);
        try (JsonGenerator g = MAPPER.getFactory().createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("phase", phase.name());
            g.writeStringField("jobUid", jobUid);
            g.writeStringField("jobName", jobName);
            g.writeStringField("jobType", jobType);
            g.writeStringField("backupServer", backupServer);
            g.writeStringField("sessionType", sessionType);
            g.writeStringField("firstFailedSessionUid", firstFailedSessionUid);
            g.writeNumberField("attempts", attempts);
            g.writeNumberField("chainAttempts", chainAttempts);
            g.writeStringField("lastFailedSessionUid", lastFailedSessionUid);
            g.writeStringField("lastFailedCreation", str(lastFailedCreation));
            g.writeStringField("lastFailedEnd", str(lastFailedEnd));
            g.writeNumberField("retries", retries);
            g.writeNumberField("retryTimeoutSeconds", retryTimeout.toSeconds());
            g.writeStringField("policySource", policySource);
            g.writeStringField("deadline", str(deadline));
            g.writeStringField("retryRunningUid", retryRunningUid);
            g.writeStringField("openedAt", str(openedAt));
            g.writeStringField("failureMessage", failureMessage);
            EventJson.writeTasks(g, tasks);
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    /** The inverse of {@link #encode}. */
    public static IncidentState decode(String json) {
        try {
            JsonNode n = MAPPER.readTree(json);
            return new IncidentState(Phase.valueOf(text(n, "phase")), text(n, "jobUid"), text(n, "jobName"),
                    text(n, "jobType"), text(n, "backupServer"), text(n, "sessionType"),
                    text(n, "firstFailedSessionUid"), n.path("attempts").asInt(1), n.path("chainAttempts").asInt(1),
                    text(n, "lastFailedSessionUid"), instant(n, "lastFailedCreation"), instant(n, "lastFailedEnd"),
                    n.path("retries").asInt(0), Duration.ofSeconds(n.path("retryTimeoutSeconds").asLong(0)),
                    text(n, "policySource"), instant(n, "deadline"), text(n, "retryRunningUid"),
                    instant(n, "openedAt"), text(n, "failureMessage"), EventJson.tasks(n.get("tasks")));
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("not a stored job incident: " + e.getMessage(), e);
        }
    }
}
