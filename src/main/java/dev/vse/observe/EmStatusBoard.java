package dev.vse.observe;

import dev.vse.detect.StateStore;
import dev.vse.em.EmRequestException;
import dev.vse.em.EmRequestListener;
import dev.vse.em.FailureKind;
import dev.vse.event.EventType;
import dev.vse.incident.IncidentState;
import dev.vse.util.OneLine;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The status of every EM ({@link EmStatus}) and of the Kafka producer, and the meters of the operations contract
 * (registered once per EM on the registry Camel's Prometheus endpoint serves):
 * <ul>
 *   <li>{@code vse_events_published_total{em,type}}: session records acknowledged by Kafka, by {@code ce_type};</li>
 *   <li>{@code vse_dlq_records_total{em,kind}}: DLQ records acknowledged by Kafka, by {@code vse.error.kind};</li>
 *   <li>{@code vse_cycles_total{em,session_type,outcome}}: ended cycles, outcome {@code ok}, {@code incomplete}
 *       (a response parked whole, window kept) or the failure's {@link EmState};</li>
 *   <li>{@code vse_em_requests_seconds{em,outcome}}: every HTTP request to EM, timed;</li>
 *   <li>{@code vse_sessions_tracked{em}}, {@code vse_sessions_running{em}}: the state store;</li>
 *   <li>{@code vse_last_successful_cycle_timestamp_seconds{em,session_type}}: epoch seconds, 0 before the first;</li>
 *   <li>{@code vse_em_clock_skew_seconds{em}}: EM's clock minus ours, from the Date header;</li>
 *   <li>{@code vse_job_alerts_firing{em}}: jobs whose incident is open (failed, not resolved yet).</li>
 * </ul>
 * Thread-safe.
 */
public final class EmStatusBoard implements EmRequestListener {
    /** {@code outcome} of a cycle that read every response and advanced its window. */
    public static final String OUTCOME_OK = "ok";
    /** {@code outcome} of a cycle that parked a response whole and keeps its window. */
    public static final String OUTCOME_INCOMPLETE = "incomplete";
    private static final Logger LOG = LoggerFactory.getLogger(EmStatusBoard.class);

    private final MeterRegistry meters;
    private final StateStore store;
    private final Clock clock;
    private volatile Instant startedAt;
    private final Map<String, EmStatus> ems = new ConcurrentHashMap<>();
    private volatile String kafkaError;
    /** Clustered (CLUSTER_SERVICE not none): an EM is polled here only while this instance leads it. */
    private volatile boolean clustered;
    /** EMs this instance leads, and since when (clustered only). */
    private final Map<String, Instant> leading = new ConcurrentHashMap<>();
    private volatile Instant kafkaErrorAt;

    public EmStatusBoard(MeterRegistry meters, StateStore store, Clock clock) {
        this.meters = meters;
        this.store = store;
        this.clock = clock;
        this.startedAt = clock.instant();
    }

    /** Adds an EM and registers its meters (once; a second call changes nothing). */
    public EmStatus register(String emId, String url, List<String> sessionTypes, Supplier<Optional<Duration>> clockSkew) {
        return ems.computeIfAbsent(emId, id -> {
            EmStatus s = new EmStatus(id, url, sessionTypes);
            for (EventType t : EventType.values()) {
                published(id, t.ceType());
            }
            dlq(id, FailureKind.MALFORMED.name());
            dlq(id, "UNPROCESSABLE_SESSION");
            for (String type : sessionTypes) {
                cycles(id, type, OUTCOME_OK);
                cycles(id, type, OUTCOME_INCOMPLETE);
                for (EmState st : EmState.values()) {
                    if (st != EmState.OK) {
                        cycles(id, type, st.value());
                    }
                }
                Gauge.builder("vse.last.successful.cycle.timestamp.seconds", s,
                                x -> x.lastSuccessfulCycleAt(type).map(i -> i.toEpochMilli() / 1000.0).orElse(0.0))
                        .description("When the latest successful cycle (every page read, window advanced) ended")
                        .tags("em", id, "session_type", type).register(meters);
            }
            requests(id, "success");
            Gauge.builder("vse.sessions.tracked", s, EmStatus::sessionsTracked)
                    .description("Sessions the state store tracks").tag("em", id).register(meters);
            Gauge.builder("vse.sessions.running", s, EmStatus::sessionsRunning)
                    .description("Tracked sessions not Stopped").tag("em", id).register(meters);
            Gauge.builder("vse.em.clock.skew.seconds", clockSkew,
                            sk -> sk.get().map(d -> d.toMillis() / 1000.0).orElse(0.0))
                    .description("EM's clock minus this host's (Date header); negative: EM is behind")
                    .tag("em", id).strongReference(true).register(meters);
            Gauge.builder("vse.job.alerts.firing", () -> openIncidents(id))
                    .description("Jobs of this EM in a failed incident (em.job.failed.v1 published, not resolved yet)")
                    .tag("em", id).strongReference(true).register(meters);
            refreshSessions(s);
            return s;
        });
    }

    /**
     * From now on every EM is on standby until {@link #leading} says this instance leads it (call before the EMs are
     * registered): the state of a standby EM is never read, since its store belongs to the leader.
     */
    public void clustered() {
        this.clustered = true;
    }

    /** Leadership of {@code emId} taken ({@code true}) or lost. */
    public void leading(String emId, boolean leads) {
        if (leads) {
            leading.put(emId, clock.instant());
        } else {
            leading.remove(emId);
        }
    }

    /** Whether another instance polls this EM (clustered, not led here). */
    public boolean standby(String emId) {
        return clustered && !leading.containsKey(emId);
    }

    /** Since when this instance polls {@code emId}: the start of polling, or the later leadership take-over. */
    public Instant pollingSince(String emId) {
        Instant since = leading.get(emId);
        return since != null && since.isAfter(startedAt) ? since : startedAt;
    }

    /** Open job incidents of an EM, from the state store. */
    private long openIncidents(String emId) {
        if (standby(emId)) {
            return 0;
        }
        return store.incidents(emId).values().stream()
                .filter(encoded -> IncidentState.decode(encoded).phase() == IncidentState.Phase.OPEN).count();
    }

    public EmStatus status(String emId) {
        EmStatus s = ems.get(emId);
        if (s == null) {
            throw new IllegalArgumentException("no EM server with id " + emId);
        }
        return s;
    }

    public Collection<EmStatus> all() {
        return new ArrayList<>(ems.values());
    }

    /** When polling started (the start of the health checks' start-up grace). */
    public Instant startedAt() {
        return startedAt;
    }

    /** The poll routes run now: the start-up grace of the health checks counts from here. */
    public void pollingStarted() {
        startedAt = clock.instant();
    }

    public Clock clock() {
        return clock;
    }

    // --- fed by the pipeline --------------------------------------------------------------------

    /** This instance gave the EM up ({@link EmOwnership#release}): health says so until it is taken again. */
    public void givenUp(String emId, String reason) {
        EmStatus s = ems.get(emId);
        if (s != null) {
            s.givenUp(reason);
        }
    }

    /** This instance polls the EM again ({@link EmOwnership#take}). */
    public void taken(String emId) {
        givenUp(emId, null);
    }

    /** A cycle read every response and advanced its window (or finished its sweep). */
    public void cycleSucceeded(String emId, String sessionType) {
        EmStatus s = status(emId);
        s.cycleSucceeded(sessionType, clock.instant());
        cycles(emId, sessionType, OUTCOME_OK).increment();
        refreshSessions(s);
    }

    /** A cycle went through but parked a response whole: its window is read again. */
    public void cycleIncomplete(String emId, String sessionType) {
        EmStatus s = status(emId);
        s.cycleIncomplete(clock.instant());
        cycles(emId, sessionType, OUTCOME_INCOMPLETE).increment();
        refreshSessions(s);
    }

    /** A cycle stopped on {@code failure}; returns what it means for the EM. */
    public EmState cycleFailed(String emId, String sessionType, Throwable failure) {
        EmState state = classify(failure);
        EmStatus s = status(emId);
        s.cycleFailed(state, describe(failure), clock.instant());
        cycles(emId, sessionType, state.value()).increment();
        if (state == EmState.KAFKA_UNAVAILABLE) {
            kafkaFailed(failure);
        }
        refreshSessions(s);
        return state;
    }

    /** Kafka acknowledged session records of these {@code ce_type}s. */
    public void published(String emId, Collection<String> ceTypes) {
        if (!ceTypes.isEmpty()) {
            EmStatus s = status(emId);
            for (String t : ceTypes) {
                published(emId, t).increment();
            }
            s.published(ceTypes.size());
        }
        kafkaAcked();
    }

    /** Kafka acknowledged a DLQ record of {@code kind}. */
    public void deadLettered(String emId, String kind) {
        dlq(emId, kind == null ? "unknown" : kind).increment();
        kafkaAcked();
    }

    /** Kafka acknowledged a record (any topic): the producer works. */
    public void kafkaAcked() {
        if (kafkaError != null) {
            LOG.info("Kafka acknowledges again");
            kafkaError = null;
            kafkaErrorAt = null;
        }
    }

    /** A send to Kafka failed. */
    public void kafkaFailed(Throwable failure) {
        kafkaErrorAt = clock.instant();
        kafkaError = describe(failure);
    }

    /** The latest Kafka failure since the last acknowledgement, one line; empty when the producer acknowledges. */
    public Optional<String> kafkaError() {
        return Optional.ofNullable(kafkaError);
    }

    public Optional<Instant> kafkaErrorAt() {
        return Optional.ofNullable(kafkaErrorAt);
    }

    @Override
    public void request(String emId, String outcome, long nanos) {
        requests(emId, outcome).record(nanos, TimeUnit.NANOSECONDS);
    }

    // --- classification ---------------------------------------------------------------------------

    /** What a cycle's failure says about its EM. */
    public static EmState classify(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof EmRequestException e) {
                return switch (e.kind()) {
                    case RETRIABLE -> EmState.EM_UNAVAILABLE;
                    case AUTHENTICATION -> EmState.AUTH_REFUSED;
                    case PERMANENT, MALFORMED -> EmState.EM_ERROR;
                };
            }
            if (t.getClass().getName().startsWith("org.apache.kafka.")) {
                return EmState.KAFKA_UNAVAILABLE;
            }
        }
        return EmState.EM_ERROR;
    }

    /** One line, secret-free (our EM messages never carry a password or token; Kafka's never carry one either). */
    static String describe(Throwable failure) {
        if (failure instanceof EmRequestException) {
            return OneLine.of(failure.getMessage(), 300);
        }
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String m = root == failure ? OneLine.message(failure)
                : OneLine.message(failure) + " (" + root.getClass().getSimpleName() + ": " + OneLine.message(root) + ")";
        return OneLine.of(failure.getClass().getSimpleName() + ": " + m, 300);
    }

    // --- meters -----------------------------------------------------------------------------------

    private Counter published(String emId, String ceType) {
        return Counter.builder("vse.events.published").description("Session records acknowledged by Kafka")
                .tags("em", emId, "type", ceType).register(meters);
    }

    private Counter dlq(String emId, String kind) {
        return Counter.builder("vse.dlq.records").description("DLQ records acknowledged by Kafka")
                .tags("em", emId, "kind", kind).register(meters);
    }

    private Counter cycles(String emId, String sessionType, String outcome) {
        return Counter.builder("vse.cycles").description("Poll cycles ended, by outcome")
                .tags("em", emId, "session_type", sessionType, "outcome", outcome).register(meters);
    }

    private Timer requests(String emId, String outcome) {
        return Timer.builder("vse.em.requests").description("HTTP requests to EM")
                .tags("em", emId, "outcome", outcome).register(meters);
    }

    private void refreshSessions(EmStatus s) {
        if (standby(s.emId())) {
            return;
        }
        try {
            long running = 0;
            for (String type : s.sessionTypes()) {
                running += store.unfinished(s.emId(), type).size();
            }
            s.sessions(store.size(s.emId()), running);
        } catch (RuntimeException e) {
            LOG.debug("EM {}: session counts unavailable: {}", s.emId(), e.toString());
        }
    }
}
