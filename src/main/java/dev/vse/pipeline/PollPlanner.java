package dev.vse.pipeline;

import static dev.vse.em.EmFilter.and;
import static dev.vse.em.EmFilter.ge;
import static dev.vse.em.EmFilter.ne;
import static dev.vse.em.EmFilter.or;

import dev.vse.detect.InitialLoadPolicy;
import dev.vse.detect.SessionStates;
import dev.vse.detect.StateStore;
import dev.vse.em.EmSource;
import dev.vse.em.SessionQuery;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * Plans the cycles of one EM: per session type a regular cycle with its query window, and a sweep when one is
 * due.
 *
 * <p>The window is what makes a steady cycle cost what changed rather than the whole history: it asks EM for
 * sessions created or ended since the previous cycle started, minus a lag margin that covers EM's collection job
 * (15 min by default), plus every session not yet {@code Stopped}. Before any cycle completed it reads back
 * {@code initialLookback}. Every boundary is widened by the clock skew measured from EM's {@code Date} header:
 * EM filters on its own clock, and a skew larger than the margin would otherwise lose sessions in silence.
 *
 * <p>At the first poll of an EM and session type the baseline instant {@code B} is recorded durably; the
 * initial-load policy turns it into the {@link Cycle#historyBefore} boundary of every later cycle.
 */
public final class PollPlanner {
    private final EmClients ems;
    private final StateStore store;
    private final InitialLoadPolicy policy;
    private final Duration lagMargin;
    private final Duration initialLookback;
    private final SweepSchedule sweeps;
    private final Clock clock;

    public PollPlanner(EmClients ems, StateStore store, InitialLoadPolicy policy, Duration lagMargin,
                       Duration initialLookback, SweepSchedule sweeps, Clock clock) {
        this.ems = ems;
        this.store = store;
        this.policy = policy;
        this.lagMargin = lagMargin;
        this.initialLookback = initialLookback;
        this.sweeps = sweeps;
        this.clock = clock;
    }

    /** The cycles to run now for {@code emId}: per configured session type a regular one, then a due sweep. */
    public List<Cycle> cycles(String emId) {
        EmSource em = ems.source(emId);
        Instant now = clock.instant();
        Duration skew = skew(emId);
        List<Cycle> cycles = new ArrayList<>();
        for (String type : em.sessionTypes()) {
            Instant historyBefore = policy.historyBefore(baseline(emId, type, now)).map(b -> b.minus(skew)).orElse(null);
            cycles.add(new Cycle(em, type, Cycle.Kind.REGULAR, query(em, type, filter(em, windowStart(emId, type, now, skew), true)),
                    now, historyBefore));
            if (sweeps.due(emId, type, now)) {
                cycles.add(new Cycle(em, type, Cycle.Kind.SWEEP, query(em, type, filter(em, sweepStart(now, skew), false)),
                        now, historyBefore));
            }
        }
        return cycles;
    }

    /**
     * The earliest time any coming query of this EM can reach back to (regular windows and sweeps): a session that
     * ended before it will not be returned again, so forgetting it cannot bring back its completed/failed record.
     */
    public Instant reach(String emId, Instant now) {
        Duration skew = skew(emId);
        Instant earliest = sweeps.enabled() ? sweepStart(now, skew) : now;
        for (String type : ems.source(emId).sessionTypes()) {
            Instant w = windowStart(emId, type, now, skew);
            earliest = w.isBefore(earliest) ? w : earliest;
        }
        return earliest;
    }

    /** {@code B}: recorded at the first poll, never moved afterwards. */
    private Instant baseline(String emId, String type, Instant now) {
        return store.baseline(emId, type).orElseGet(() -> {
            store.commitBaseline(emId, type, now);
            return now;
        });
    }

    private Instant windowStart(String emId, String type, Instant now, Duration skew) {
        Instant from = store.watermark(emId, type).map(w -> w.minus(lagMargin)).orElse(now.minus(initialLookback));
        return seconds(from.minus(skew));
    }

    private Instant sweepStart(Instant now, Duration skew) {
        return seconds(now.minus(sweeps.lookback()).minus(skew));
    }

    /** EM's clock against ours, either way, in whole seconds rounded up (the Date header has 1 s resolution). */
    private Duration skew(String emId) {
        Duration d = ems.client(emId).clockSkew().map(Duration::abs).orElse(Duration.ZERO);
        return d.isZero() ? d : Duration.ofSeconds(d.toSeconds() + 1);
    }

    /** Whole seconds: EM documents filter dates as "2025-08-15T06:00:00Z". */
    private static Instant seconds(Instant t) {
        return t.truncatedTo(ChronoUnit.SECONDS);
    }

    private static SessionQuery query(EmSource em, String type, String filter) {
        return SessionQuery.of(SessionQuery.Type.valueOf(type))
                .withFilter(filter)
                .withSortAsc("CreationTime")
                .withPageSize(em.server().pageSize());
    }

    /**
     * {@code (created or ended since from [, or still running])} and the job include/exclude lists. A sweep leaves
     * out the running sessions: the regular cycle reads those anyway.
     */
    static String filter(EmSource em, Instant from, boolean withRunning) {
        List<String> terms = new ArrayList<>();
        terms.add(withRunning ? or(ge("CreationTime", from), ge("EndTime", from), ne("State", SessionStates.STOPPED))
                : or(ge("CreationTime", from), ge("EndTime", from)));
        terms.addAll(em.jobFilterTerms());
        return terms.size() == 1 ? terms.get(0) : and(terms.toArray(String[]::new));
    }
}
