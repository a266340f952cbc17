package dev.vse.observe;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vse.detect.StateStore;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.component.kafka.KafkaConstants;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds one EM's heartbeat record (the heartbeat route sends one every {@code HEARTBEAT_INTERVAL}, whatever the
 * EM does): key = EM id, CloudEvent {@code em.heartbeat.v1} from the EM URL, value = what {@link EmStatus} knows plus
 * the watermarks of the state store. Nothing in it comes from a credential; {@code lastError} is our own one-line
 * message.
 */
public final class Heartbeats {
    /** {@code ce_type} of a heartbeat. */
    public static final String TYPE = "em.heartbeat.v1";
    private static final Logger LOG = LoggerFactory.getLogger(Heartbeats.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final EmStatusBoard board;
    private final StateStore store;
    private final Clock clock;
    private final Map<String, Boolean> failing = new ConcurrentHashMap<>();

    public Heartbeats(EmStatusBoard board, StateStore store, Clock clock) {
        this.board = board;
        this.store = store;
        this.clock = clock;
    }

    /** Out: the heartbeat record of {@code emId} (key header, CloudEvent body). */
    public void build(Exchange exchange, String emId) {
        Message m = exchange.getMessage();
        m.setHeader(KafkaConstants.KEY, emId);
        m.setBody(event(emId, clock.instant()));
    }

    /** Kafka acknowledged a heartbeat of {@code emId}. */
    public void sent(String emId) {
        board.kafkaAcked();
        if (failing.remove(emId) != null) {
            LOG.info("EM {}: heartbeats are sent again", emId);
        }
    }

    /** A heartbeat could not be sent (the heartbeat route's error handler): one log line per streak. */
    public void failed(Exchange exchange) {
        Exception e = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        String emId = exchange.getMessage().getHeader(KafkaConstants.KEY, String.class);
        if (e != null && EmStatusBoard.classify(e) == EmState.KAFKA_UNAVAILABLE) {
            board.kafkaFailed(e);
        }
        if (failing.put(emId == null ? "?" : emId, Boolean.TRUE) == null) {
            LOG.warn("EM {}: heartbeat not sent, retried at the next interval: {}", emId,
                    e == null ? "?" : EmStatusBoard.describe(e));
        }
    }

    /** The heartbeat CloudEvent of {@code emId} at {@code at}. */
    public CloudEvent event(String emId, Instant at) {
        EmStatus s = board.status(emId);
        return CloudEventBuilder.v1()
                .withId(emId + ":heartbeat:" + at.toEpochMilli())
                .withSource(URI.create(s.url()))
                .withType(TYPE)
                .withSubject(emId)
                .withTime(OffsetDateTime.ofInstant(at.truncatedTo(ChronoUnit.MILLIS), ZoneOffset.UTC))
                .withDataContentType("application/json")
                .withData(value(s, at))
                .build();
    }

    /** The record's value (JSON). */
    byte[] value(EmStatus s, Instant at) {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("emServer", s.emId());
        v.put("at", iso(at));
        v.put("lastCycleAt", iso(s.lastCycleAt()));
        v.put("lastSuccessfulCycleAt", iso(s.lastSuccessfulCycleAt()));
        v.put("status", s.state().value());
        v.put("lastError", s.state() == EmState.OK ? null : s.lastError());
        Map<String, Object> watermarks = new LinkedHashMap<>();
        for (String type : s.sessionTypes()) {
            watermarks.put(type, iso(store.watermark(s.emId(), type).orElse(null)));
        }
        v.put("watermarks", watermarks);
        v.put("sessionsTracked", s.sessionsTracked());
        v.put("sessionsRunning", s.sessionsRunning());
        v.put("eventsPublished", s.eventsPublished());
        try {
            return JSON.writeValueAsBytes(v);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String iso(Instant t) {
        return t == null ? null : t.truncatedTo(ChronoUnit.MILLIS).toString();
    }
}
