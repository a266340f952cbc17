package dev.vse.pipeline;

import dev.vse.detect.StateStore;
import dev.vse.em.EmRequestException;
import dev.vse.observe.EmBackoff;
import dev.vse.observe.EmState;
import dev.vse.observe.EmStatusBoard;
import dev.vse.util.OneLine;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ends a cycle, one way or the other. {@link #finish}: a regular cycle that read every response moves the
 * watermark (the start of the next window); a sweep that did becomes done; a cycle that parked a response whole
 * reads its window again. {@link #stopped}: EM or Kafka failed; one log line, nothing past the failure was
 * committed, and the next cycle starts from page 1.
 *
 * <p>Now and then it prunes finished sessions, never those a coming query can still return (see
 * {@link PollPlanner#reach}): a pruned session seen again would publish its completed/failed record twice.
 */
public final class CycleCloser {
    private static final Logger LOG = LoggerFactory.getLogger(CycleCloser.class);
    private static final Duration PRUNE_EVERY = Duration.ofHours(1);

    private final StateStore store;
    private final PollPlanner planner;
    private final SweepSchedule sweeps;
    private final Duration retention;
    private final Clock clock;
    private final EmStatusBoard board;
    private final EmBackoff backoff;
    private final Map<String, Instant> lastPrune = new ConcurrentHashMap<>();

    /**
     * @param board   told how each cycle ended (status, health, meters)
     * @param backoff told of each failed attempt, so that a failing EM is asked less and less often
     */
    public CycleCloser(StateStore store, PollPlanner planner, SweepSchedule sweeps, Duration retention, Clock clock,
                       EmStatusBoard board, EmBackoff backoff) {
        this.store = store;
        this.planner = planner;
        this.sweeps = sweeps;
        this.retention = retention;
        this.clock = clock;
        this.board = board;
        this.backoff = backoff;
    }

    public void finish(@ExchangeProperty(PageFetcher.CYCLE) Cycle cycle) {
        cycle.paging().discardAhead(); // nothing is left ahead after the last page; be sure
        backoff.succeeded(cycle.emId());
        if (cycle.windowKept()) {
            board.cycleIncomplete(cycle.emId(), cycle.sessionType());
            LOG.warn("EM {}: cycle incomplete (a response was parked in the DLQ); the same window is read again next cycle",
                    cycle);
            return;
        }
        if (cycle.kind() == Cycle.Kind.SWEEP) {
            sweeps.done(cycle.emId(), cycle.sessionType(), cycle.start());
            LOG.info("EM {}: sweep done, {} pages, {} sessions, {} events", cycle, cycle.pagesRead(),
                    cycle.seen().size(), cycle.eventsPublished());
        } else {
            boolean first = store.watermark(cycle.emId(), cycle.sessionType()).isEmpty();
            store.commitWatermark(cycle.emId(), cycle.sessionType(), cycle.start());
            if (first) {
                LOG.info("EM {}: first cycle done, {} sessions read, {} events published", cycle,
                        cycle.seen().size(), cycle.eventsPublished());
            } else {
                LOG.debug("EM {}: {} pages, {} sessions, {} events", cycle, cycle.pagesRead(), cycle.seen().size(),
                        cycle.eventsPublished());
            }
        }
        pruneNowAndThen(cycle.emId());
        board.cycleSucceeded(cycle.emId(), cycle.sessionType());
    }

    /** The cycle met an EM or Kafka failure (caught by the poll-cycle route): say it once. */
    public void stopped(Exchange exchange) {
        Exception e = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        Cycle cycle = exchange.getProperty(PageFetcher.CYCLE, Cycle.class);
        if (cycle != null) {
            cycle.paging().discardAhead(); // the first failure ends the cycle: a page asked for ahead is not processed
        }
        if (givenUp(e)) {
            // the EM was given up (its state producer fenced): EmOwnership said so once, nothing more to say or retry
            LOG.debug("EM {}: cycle ended, EM given up: {}", cycle == null ? "?" : cycle, e.getMessage());
            return;
        }
        String what = e instanceof EmRequestException er ? OneLine.of(er.getMessage(), 500) // starts with the kind
                : e.getClass().getSimpleName() + ": " + OneLine.of(e.getMessage(), 500);
        String pause = "";
        if (cycle != null) {
            EmState state = board.cycleFailed(cycle.emId(), cycle.sessionType(), e);
            pause = backoff.failed(cycle.emId(), state).map(p -> "; " + EmBackoff.describe(p)).orElse("");
        }
        LOG.warn("EM {}: cycle stopped, nothing committed past this point, next cycle retries: {}{}",
                cycle == null ? "?" : cycle, what, pause);
    }

    private static boolean givenUp(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof dev.vse.detect.EmReleasedException) {
                return true;
            }
        }
        return false;
    }

    private void pruneNowAndThen(String emId) {
        Instant now = clock.instant();
        Instant last = lastPrune.get(emId);
        if (last == null || last.plus(PRUNE_EVERY).isBefore(now)) {
            lastPrune.put(emId, now);
            Instant retained = now.minus(retention);
            Instant reach = planner.reach(emId, now);
            store.prune(emId, reach.isBefore(retained) ? reach : retained);
        }
    }
}
