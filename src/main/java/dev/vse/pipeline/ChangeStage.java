package dev.vse.pipeline;

import dev.vse.detect.ChangeDetector;
import dev.vse.detect.Detection;
import dev.vse.detect.InvalidSessionException;
import dev.vse.detect.SessionSnapshot;
import dev.vse.detect.StateStore;
import dev.vse.event.CloudEventMapper;
import dev.vse.event.SessionEvent;
import dev.vse.event.Topics;
import dev.vse.model.EmXml;
import dev.vse.observe.EmStatusBoard;
import dev.vse.model.JobSession;
import dev.vse.model.RejectedSession;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.camel.CamelContext;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.Message;

/**
 * Detection and commit, the two halves around publishing. {@link #detect} compares each session of a page with
 * its stored snapshot and turns the changes into Kafka records; {@link #commit} stores the new snapshots, and
 * runs only after Kafka acknowledged every record of the page. Sessions that cannot be processed are set aside
 * ({@link #parked}) for the DLQ; they never stop the others.
 */
public final class ChangeStage {
    /**
     * Largest record (key + CloudEvent data + attributes) sent to Kafka: below the producer's default
     * {@code max.request.size} and the broker's {@code message.max.bytes} (1 MiB), with room for headers. A session
     * whose record would be larger (a giant job name or failure message) is unprocessable: Kafka would refuse the
     * whole page on every cycle, so that session is parked instead and the others go on.
     */
    public static final int MAX_RECORD_BYTES = 1_000_000;

    private final StateStore store;
    private final ChangeDetector detector;
    private final EventRecords build;
    private final Clock clock;
    private final EmStatusBoard board;

    public ChangeStage(CamelContext camel, StateStore store, ChangeDetector detector, CloudEventMapper mapper,
                       Topics topics, Clock clock) {
        this(camel, store, detector, mapper, topics, clock, null);
    }

    /** As above; {@code board} (may be null) counts the records Kafka acknowledged. */
    public ChangeStage(CamelContext camel, StateStore store, ChangeDetector detector, CloudEventMapper mapper,
                       Topics topics, Clock clock, EmStatusBoard board) {
        this.board = board;
        this.store = store;
        this.detector = detector;
        this.build = new EventRecords(camel, mapper, topics);
        this.clock = clock;
    }

    /** A readable page in, its {@link DetectedPage} out. */
    public DetectedPage detect(@ExchangeProperty(PageFetcher.CYCLE) Cycle cycle, FetchedPage page) {
        Instant now = clock.instant();
        List<SessionSnapshot> pending = new ArrayList<>();
        List<SessionEvent> events = new ArrayList<>();
        List<Message> records = new ArrayList<>();
        List<ParkedSession> parked = new ArrayList<>();
        for (RejectedSession r : page.rejected()) {
            if (r.uid() != null) {
                cycle.seen().add(r.uid());
            }
            parked.add(new ParkedSession(cycle.emId(), DeadLetters.KIND_SESSION, page.request(), r.uid(), r.fragment(),
                    r.reason()));
        }
        parked.addAll(page.unreadableRereads());
        for (JobSession s : page.sessions()) {
            // the reader refused sessions without UID, State or CreationTimeUTC already; what the detector refuses
            // here (a record too large for Kafka) is parked as the session was read
            try {
                Detection d = detector.detect(cycle.emId(), cycle.em().server().baseUrl(), s,
                        s.getUid() == null ? java.util.Optional.empty() : store.get(cycle.emId(), s.getUid()),
                        cycle.historyBefore(), now);
                List<Message> built = records(s, d.events());
                cycle.seen().add(s.getUid());
                if (d.changed()) {
                    pending.add(d.next());
                }
                events.addAll(d.events());
                records.addAll(built);
            } catch (InvalidSessionException e) {
                if (s.getUid() != null) {
                    cycle.seen().add(s.getUid());
                }
                parked.add(new ParkedSession(cycle.emId(), DeadLetters.KIND_SESSION, page.request(), s.getUid(),
                        EmXml.marshal(s), e.getMessage()));
            }
        }
        return new DetectedPage(cycle, page.request(), page.sessions(), events, records, List.of(), pending,
                List.of(), parked);
    }

    /** The page's Kafka records, its job alerts included: what the publish route sends. */
    public List<Message> records(@ExchangeProperty(DetectedPage.PROPERTY) DetectedPage page) {
        return page.allRecords(build);
    }

    /**
     * Kafka has acknowledged the page's records: the snapshots (and job incidents) may advance now. With a store that
     * wrote them in the records' transaction ({@link StateStore#writesWithRecords}, {@link PageTransactions}) they are
     * stored already, and only the counters move here.
     */
    public void commit(@ExchangeProperty(DetectedPage.PROPERTY) DetectedPage page) {
        if (!store.writesWithRecords() && (!page.pending().isEmpty() || !page.incidents().isEmpty())) {
            store.commit(page.cycle().emId(), page.pending(), page.incidents());
        }
        page.cycle().published(page.events().size() + page.alerts().size());
        if (board != null) {
            List<String> types = new ArrayList<>(page.events().size() + page.alerts().size());
            page.events().forEach(e -> types.add(e.type().ceType()));
            page.alerts().forEach(a -> types.add(a.status().ceType()));
            board.published(page.cycle().emId(), types);
        }
    }

    /** How the records of this stage are built (shared with the stages after detection). */
    public EventRecords recordBuilder() {
        return build;
    }

    /** The page's sessions that could not be processed, one DLQ record each. */
    public List<ParkedSession> parked(@ExchangeProperty(DetectedPage.PROPERTY) DetectedPage page) {
        return page.parked();
    }

    /** The job alerts topic. */
    public String topicOf(dev.vse.event.JobAlert a) {
        return build.topics().jobAlerts();
    }

    /** The topic of an event type. */
    public String topicOf(SessionEvent e) {
        return build.topics().of(e.type());
    }

    private List<Message> records(JobSession s, List<SessionEvent> events) {
        List<Message> built = new ArrayList<>(events.size());
        for (SessionEvent e : events) {
            Message m = build.of(e);
            int size = RecordSize.of(m);
            if (size > MAX_RECORD_BYTES) {
                throw new InvalidSessionException("the record of session " + abbreviate(s.getUid()) + " would be "
                        + size + " bytes, more than Kafka takes (" + MAX_RECORD_BYTES + ")");
            }
            built.add(m);
        }
        return built;
    }

    private static String abbreviate(String s) {
        return s == null ? "null" : s.length() > 100 ? s.substring(0, 100) + "..." : s;
    }
}
