package dev.vse.pipeline;

import dev.vse.em.EmRequestException;
import java.time.Clock;
import org.apache.camel.Exchange;
import org.apache.camel.component.kafka.KafkaConstants;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the shared error handling does with a failure: park an unreadable response in the DLQ (raw bytes,
 * headers naming the EM, the request and the error), or stop the cycle with one log line. Messages come
 * from our own exceptions, which never carry a password or a token.
 */
public final class Failures {
    /** DLQ record headers. */
    public static final String H_EM = "vse.em";
    public static final String H_EM_URL = "vse.em.url";
    public static final String H_REQUEST = "vse.request";
    public static final String H_ERROR = "vse.error";
    public static final String H_ERROR_KIND = "vse.error.kind";
    public static final String H_RECEIVED_AT = "vse.received.at";
    /** Set (with the original size) when the body was cut to fit into one Kafka record. */
    public static final String H_BODY_SIZE = "vse.body.size";
    public static final String H_BODY_TRUNCATED = "vse.body.truncated";
    /**
     * Largest DLQ body: Kafka refuses records above 1 MiB by default (producer and broker), and a refused DLQ
     * record would take the parking of the page down with it. Larger bodies keep their first bytes.
     */
    public static final int MAX_DLQ_BODY_BYTES = 1_000_000;

    private static final Logger LOG = LoggerFactory.getLogger(Failures.class);

    private final EmClients ems;
    private final String dlqTopic;
    private final Clock clock;

    public Failures(EmClients ems, String dlqTopic, Clock clock) {
        this.ems = ems;
        this.dlqTopic = dlqTopic;
        this.clock = clock;
    }

    /** Turns the exchange into the DLQ record for the caught {@link UnreadableResponseException}. */
    public void toDeadLetter(Exchange exchange) {
        UnreadableResponseException e = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, UnreadableResponseException.class);
        Cycle cycle = exchange.getProperty(PageFetcher.CYCLE, Cycle.class);
        if (cycle != null) {
            cycle.markIncomplete();
        }
        String emId = e.emId();
        LOG.warn("{} -> parked in {}", oneLine(e.getMessage()), dlqTopic);
        var m = exchange.getMessage();
        m.removeHeaders("*");
        m.setHeader(KafkaConstants.KEY, emId);
        m.setHeader(H_EM, emId);
        m.setHeader(H_EM_URL, urlOf(emId));
        m.setHeader(H_REQUEST, e.request());
        m.setHeader(H_ERROR, oneLine(e.getMessage()));
        m.setHeader(H_ERROR_KIND, e.getCause() instanceof EmRequestException er ? er.kind().name() : "UNPROCESSABLE");
        m.setHeader(H_RECEIVED_AT, clock.instant().toString());
        byte[] raw = e.raw() == null ? new byte[0] : e.raw();
        if (raw.length > MAX_DLQ_BODY_BYTES) {
            m.setHeader(H_BODY_SIZE, Integer.toString(raw.length));
            m.setHeader(H_BODY_TRUNCATED, "true");
            raw = java.util.Arrays.copyOf(raw, MAX_DLQ_BODY_BYTES);
        }
        m.setBody(raw);
    }

    /** Stops the cycle: EM unavailable after retries, authentication refused, or Kafka not acknowledging. */
    public void stopCycle(Exchange exchange) {
        Exception e = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        Cycle cycle = exchange.getProperty(PageFetcher.CYCLE, Cycle.class);
        String where = cycle == null ? "poll" : "EM " + cycle.emId() + " " + cycle.sessionType();
        if (cycle != null) {
            // the page fetcher aborts the cycle itself before it throws, so "aborted" does not mean "reported"
            cycle.abort();
            if (!cycle.claimStopReport()) {
                return; // a page already reported it
            }
        }
        String what = e instanceof EmRequestException er ? oneLine(er.getMessage()) // starts with the kind
                : e.getClass().getSimpleName() + ": " + oneLine(String.valueOf(e.getMessage()));
        LOG.warn("{}: cycle stopped, nothing committed past this point, next cycle retries: {}", where, what);
    }

    private String urlOf(String emId) {
        try {
            return ems.source(emId).server().baseUrl();
        } catch (IllegalArgumentException unknown) {
            return "";
        }
    }

    private static String oneLine(String s) {
        String t = s == null ? "" : s.replaceAll("\\s+", " ").trim();
        return t.length() > 500 ? t.substring(0, 500) + "..." : t;
    }
}
