package dev.vse.pipeline;

import dev.vse.app.AppConfig.Topics;
import dev.vse.detect.ChangeDetector;
import dev.vse.detect.Detection;
import dev.vse.detect.InvalidSessionException;
import dev.vse.detect.SessionSnapshot;
import dev.vse.detect.StateStore;
import dev.vse.event.CloudEventMapper;
import dev.vse.event.SessionEvent;
import dev.vse.model.JobSession;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.support.DefaultMessage;

/**
 * Detection and commit, the two halves around publishing. {@link #detect} compares each session of a
 * page with its stored snapshot and turns the changes into Kafka records (key = session UID, topic by
 * event type, body = CloudEvent); {@link #commit} stores the new snapshots, and runs only after Kafka
 * acknowledged every record of the page.
 */
public final class ChangeStage {
    /** Exchange property: snapshots waiting for Kafka's acknowledgement. */
    public static final String PENDING = "vse.pending";
    /** Exchange property: the events of the current page, in publication order. */
    public static final String EVENTS = "vse.events";
    /** Exchange property: sessions of the page that could not be processed. */
    public static final String INVALID = "vse.invalid";
    /**
     * Largest record (key + CloudEvent data + attributes) sent to Kafka: below the producer's default
     * {@code max.request.size} and the broker's {@code message.max.bytes} (1 MiB), with room for headers. A
     * session whose record would be larger (a giant job name or failure message) is unprocessable: Kafka would
     * refuse the whole page on every cycle, so the page is parked instead and the other sessions go on.
     */
    public static final int MAX_RECORD_BYTES = 1_000_000;

    private final StateStore store;
    private final ChangeDetector detector;
    private final CloudEventMapper mapper;
    private final Topics topics;
    private final Clock clock;

    public ChangeStage(StateStore store, ChangeDetector detector, CloudEventMapper mapper, Topics topics, Clock clock) {
        this.store = store;
        this.detector = detector;
        this.mapper = mapper;
        this.topics = topics;
        this.clock = clock;
    }

    /** Body in: the page's sessions. Body out: the Kafka records to publish (possibly none). */
    public void detect(Exchange exchange) {
        Cycle cycle = exchange.getProperty(PageFetcher.CYCLE, Cycle.class);
        @SuppressWarnings("unchecked")
        List<JobSession> sessions = exchange.getMessage().getBody(List.class);
        Instant now = clock.instant();
        List<SessionSnapshot> pending = new ArrayList<>();
        List<SessionEvent> events = new ArrayList<>();
        List<String> invalid = new ArrayList<>();
        List<Message> records = new ArrayList<>();
        for (JobSession s : sessions) {
            try {
                Detection d = detector.detect(cycle.emId(), cycle.em().server().baseUrl(), s,
                        s.getUid() == null ? java.util.Optional.empty() : store.get(cycle.emId(), s.getUid()),
                        cycle.initialLoad(), now);
                cycle.seen().add(s.getUid());
                List<Message> built = new ArrayList<>(d.events().size());
                for (SessionEvent e : d.events()) {
                    Message m = record(exchange, e);
                    int size = size(m);
                    if (size > MAX_RECORD_BYTES) {
                        throw new InvalidSessionException("the record of session " + abbreviate(s.getUid())
                                + " would be " + size + " bytes, more than Kafka takes (" + MAX_RECORD_BYTES + ")");
                    }
                    built.add(m);
                }
                if (d.changed()) {
                    pending.add(d.next());
                }
                events.addAll(d.events());
                records.addAll(built);
            } catch (InvalidSessionException e) {
                invalid.add(e.getMessage());
            }
        }
        exchange.setProperty(PENDING, pending);
        exchange.setProperty(EVENTS, events);
        exchange.setProperty(INVALID, invalid);
        exchange.getMessage().setBody(records);
    }

    /** Kafka has acknowledged the page's records: the snapshots may advance now. */
    public void commit(Exchange exchange) {
        Cycle cycle = exchange.getProperty(PageFetcher.CYCLE, Cycle.class);
        @SuppressWarnings("unchecked")
        List<SessionSnapshot> pending = exchange.getProperty(PENDING, List.class);
        @SuppressWarnings("unchecked")
        List<SessionEvent> events = exchange.getProperty(EVENTS, List.class);
        if (pending != null && !pending.isEmpty()) {
            store.commit(cycle.emId(), pending);
        }
        cycle.published(events == null ? 0 : events.size());
        @SuppressWarnings("unchecked")
        List<String> invalid = exchange.getProperty(INVALID, List.class);
        if (invalid != null && !invalid.isEmpty()) {
            FetchedPage page = exchange.getProperty(PageFetcher.PAGE, FetchedPage.class);
            throw new UnreadableResponseException(cycle.emId(), page == null ? "?" : page.request(),
                    page == null ? null : page.raw(), invalid.size() + " session(s) cannot be processed: " + invalid.get(0), null);
        }
    }

    /** The topic of an event type. */
    public String topicOf(SessionEvent e) {
        return switch (e.type()) {
            case COMPLETED -> topics.completed();
            case FAILED -> topics.failed();
            case CHANGED -> topics.changes();
        };
    }

    /** Key, data and the text of every CloudEvent attribute: what the record weighs on the wire, roughly. */
    private static int size(Message m) {
        io.cloudevents.CloudEvent ce = m.getBody(io.cloudevents.CloudEvent.class);
        String key = m.getHeader(KafkaConstants.KEY, String.class);
        long n = key == null ? 0 : key.length() * 3L;
        if (ce != null) {
            n += ce.getData() == null ? 0 : ce.getData().toBytes().length;
            for (String a : ce.getAttributeNames()) {
                Object v = ce.getAttribute(a);
                n += a.length() + 3L + (v == null ? 0 : v.toString().length() * 3L);
            }
            for (String x : ce.getExtensionNames()) {
                Object v = ce.getExtension(x);
                n += x.length() + 3L + (v == null ? 0 : v.toString().length() * 3L);
            }
        }
        return (int) Math.min(Integer.MAX_VALUE, n);
    }

    private static String abbreviate(String s) {
        return s == null ? "null" : s.length() > 100 ? s.substring(0, 100) + "..." : s;
    }

    private Message record(Exchange exchange, SessionEvent e) {
        Message m = new DefaultMessage(exchange.getContext());
        m.setHeader(KafkaConstants.KEY, e.key());
        m.setHeader(KafkaConstants.OVERRIDE_TOPIC, topicOf(e));
        m.setBody(mapper.toCloudEvent(e));
        return m;
    }
}
