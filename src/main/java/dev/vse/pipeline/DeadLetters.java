package dev.vse.pipeline;

import dev.vse.observe.EmStatusBoard;
import dev.vse.util.OneLine;
import java.time.Clock;
import java.util.Arrays;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.component.kafka.KafkaConstants;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds the DLQ records: a response unreadable as a whole ({@link #page}) or one session that could not be
 * processed ({@link #session}), with the bytes as received and headers naming the EM, the request and the error.
 * Each parking is said in one log line. Messages come from our own exceptions, which never carry a password or a
 * token.
 */
public final class DeadLetters {
    /** DLQ record headers. */
    public static final String H_EM = "vse.em";
    public static final String H_EM_URL = "vse.em.url";
    public static final String H_REQUEST = "vse.request";
    public static final String H_ERROR = "vse.error";
    public static final String H_ERROR_KIND = "vse.error.kind";
    public static final String H_RECEIVED_AT = "vse.received.at";
    /** The UID of a parked session, when it could be read. */
    public static final String H_SESSION_UID = "vse.session.uid";
    /** Set (with the original size) when the body was cut to fit into one Kafka record. */
    public static final String H_BODY_SIZE = "vse.body.size";
    public static final String H_BODY_TRUNCATED = "vse.body.truncated";
    /** {@code vse.error.kind} of a single session that could not be processed. */
    public static final String KIND_SESSION = "UNPROCESSABLE_SESSION";
    /**
     * Largest DLQ body: Kafka refuses records above 1 MiB by default (producer and broker), and a refused DLQ
     * record would stop the cycle. Larger bodies keep their first bytes.
     */
    public static final int MAX_DLQ_BODY_BYTES = 1_000_000;

    private static final Logger LOG = LoggerFactory.getLogger(DeadLetters.class);

    private final EmClients ems;
    private final String dlqTopic;
    private final Clock clock;
    private final EmStatusBoard board;

    public DeadLetters(EmClients ems, String dlqTopic, Clock clock) {
        this(ems, dlqTopic, clock, null);
    }

    /** As above; {@code board} (may be null) counts the DLQ records Kafka acknowledged. */
    public DeadLetters(EmClients ems, String dlqTopic, Clock clock, EmStatusBoard board) {
        this.board = board;
        this.ems = ems;
        this.dlqTopic = dlqTopic;
        this.clock = clock;
    }

    /**
     * Body in: an unreadable {@link FetchedPage} of the query window; out: its DLQ record. The cycle keeps its
     * window, so the same response is asked for again next cycle.
     */
    public void page(Exchange exchange) {
        Cycle cycle = exchange.getProperty(PageFetcher.CYCLE, Cycle.class);
        FetchedPage page = exchange.getMessage().getBody(FetchedPage.class);
        cycle.keepWindow();
        String error = OneLine.of(page.failure().getMessage(), 500);
        LOG.warn("{} -> response parked in {}; the window is read again next cycle", error, dlqTopic);
        record(exchange.getMessage(), cycle.emId(), page.request(), error, page.failure().kind().name(), page.raw());
    }

    /** Body in: a {@link ParkedSession}; out: its DLQ record. The rest of its page has been processed. */
    public void session(Exchange exchange) {
        ParkedSession s = exchange.getMessage().getBody(ParkedSession.class);
        String error = OneLine.of("EM " + s.emId() + ": session " + (s.uid() == null ? "without UID" : s.uid())
                + " in " + s.request() + ": " + s.reason(), 500);
        LOG.warn("{} -> session parked in {}; the rest goes on", error, dlqTopic);
        Message m = exchange.getMessage();
        record(m, s.emId(), s.request(), error, s.kind(), s.fragment());
        if (s.uid() != null) {
            m.setHeader(H_SESSION_UID, s.uid());
        }
    }

    /** Kafka acknowledged the DLQ record (the dead-letter route calls this after sending it): count it. */
    public void sent(Exchange exchange) {
        if (board != null) {
            Message m = exchange.getMessage();
            board.deadLettered(m.getHeader(H_EM, String.class), m.getHeader(H_ERROR_KIND, String.class));
        }
    }

    private void record(Message m, String emId, String request, String error, String kind, byte[] body) {
        m.removeHeaders("*");
        m.setHeader(KafkaConstants.KEY, emId);
        m.setHeader(H_EM, emId);
        m.setHeader(H_EM_URL, urlOf(emId));
        m.setHeader(H_REQUEST, request);
        m.setHeader(H_ERROR, error);
        m.setHeader(H_ERROR_KIND, kind);
        m.setHeader(H_RECEIVED_AT, clock.instant().toString());
        byte[] raw = body == null ? new byte[0] : body;
        if (raw.length > MAX_DLQ_BODY_BYTES) {
            m.setHeader(H_BODY_SIZE, Integer.toString(raw.length));
            m.setHeader(H_BODY_TRUNCATED, "true");
            raw = Arrays.copyOf(raw, MAX_DLQ_BODY_BYTES);
        }
        m.setBody(raw);
    }

    private String urlOf(String emId) {
        try {
            return ems.source(emId).server().baseUrl();
        } catch (IllegalArgumentException unknown) {
            return "";
        }
    }
}
