package dev.vse.event;

import java.time.Instant;
import java.util.Objects;

/**
 * One record to publish. The first five components are the CloudEvents envelope
 * ({@code ce_type}, {@code ce_id}, {@code ce_source}, {@code ce_subject}, {@code ce_time}); the rest is
 * the JSON value, exactly the fields of the contract (DESIGN.md "Records") plus
 * {@code failureMessage}, {@code sessionHref} and {@code detectedAt}.
 *
 * <p>{@code time} is the time of the occurrence, chosen to be deterministic where EM gives one:
 * terminal records use the session's EndTime; a CHANGED record of a stopped session uses its EndTime;
 * a CHANGED record at first sight of a running session uses its CreationTime; other running changes
 * use the detection time (EM has no timestamp for them). Missing times fall back to the detection
 * time. {@code detectedAt} is always the detection time.
 */
public record SessionEvent(EventType type, String id, String source, String subject, Instant time,
                           String emServer, String sessionUid, String sessionType, String sessionName,
                           String jobUid, String jobName, String jobType, String backupServer,
                           Instant creationTime, Instant endTime, String state, String result,
                           Integer progress, Boolean isRetry, String previousState, String previousResult,
                           String failureMessage, String sessionHref, Instant detectedAt) {

    public SessionEvent {
        Objects.requireNonNull(type, "type");
    }

    /** The Kafka record key: the session UID. */
    public String key() {
        return sessionUid;
    }
}
