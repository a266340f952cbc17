package dev.vse.event;

import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import java.net.URI;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/**
 * Wraps a {@link SessionEvent} (or a {@link JobAlert}) in a CloudEvents 1.0 envelope (the SDK's builder). Published through
 * {@code io.cloudevents.kafka.CloudEventSerializer} in BINARY mode this yields the headers
 * {@code ce_specversion, ce_id, ce_source, ce_type, ce_subject, ce_time, content-type}. Thread-safe.
 */
public final class CloudEventMapper {
    public static final String CONTENT_TYPE = "application/json";

    public CloudEvent toCloudEvent(SessionEvent event) {
        return CloudEventBuilder.v1()
                .withId(event.id())
                .withSource(URI.create(event.source()))
                .withType(event.type().ceType())
                .withSubject(event.subject())
                .withTime(event.time() == null ? null : event.time().atOffset(ZoneOffset.UTC))
                .withDataContentType(CONTENT_TYPE)
                .withData(EventJson.toJson(event))
                .build();
    }

    /** A job alert in its envelope ({@code ce_type} {@code em.job.failed.v1} / {@code em.job.resolved.v1}). */
    public CloudEvent toCloudEvent(JobAlert alert) {
        return CloudEventBuilder.v1()
                .withId(alert.id())
                .withSource(URI.create(alert.source()))
                .withType(alert.status().ceType())
                .withSubject(alert.subject())
                .withTime(alert.time() == null ? null : alert.time().atOffset(ZoneOffset.UTC))
                .withDataContentType(CONTENT_TYPE)
                .withData(JobAlertJson.toJson(alert))
                .build();
    }

    /**
     * A job alert read back from its envelope ({@link JobAlertJson#read}).
     *
     * @throws IllegalArgumentException when the event is not a job alert
     */
    public JobAlert jobAlertFromCloudEvent(CloudEvent ce) {
        if (ce.getData() == null) {
            throw new IllegalArgumentException("cloud event " + ce.getId() + " has no data");
        }
        OffsetDateTime time = ce.getTime();
        return JobAlertJson.read(ce.getType(), ce.getId(),
                ce.getSource() == null ? null : ce.getSource().toString(), ce.getSubject(),
                time == null ? null : time.toInstant(), ce.getData().toBytes());
    }

    /** The inverse, for consumers and tests (e.g. after {@code KafkaMessageFactory} decoding). */
    public SessionEvent fromCloudEvent(CloudEvent ce) {
        if (ce.getData() == null) {
            throw new IllegalArgumentException("cloud event " + ce.getId() + " has no data");
        }
        OffsetDateTime time = ce.getTime();
        Instant instant = time == null ? null : time.toInstant();
        return EventJson.fromJson(ce.getData().toBytes(), EventType.fromCeType(ce.getType()), ce.getId(),
                ce.getSource() == null ? null : ce.getSource().toString(), ce.getSubject(), instant);
    }
}
