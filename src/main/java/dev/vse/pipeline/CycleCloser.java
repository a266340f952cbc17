package dev.vse.pipeline;

import dev.vse.detect.StateStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.camel.ExchangeProperty;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ends a cycle. Only a cycle that read every page and parked nothing moves the watermark (the start of
 * the next query window); otherwise the same window is read again, so no state change is missed.
 */
public final class CycleCloser {
    private static final Logger LOG = LoggerFactory.getLogger(CycleCloser.class);
    private static final Duration PRUNE_EVERY = Duration.ofHours(1);

    private final StateStore store;
    private final Duration retention;
    private final Clock clock;
    private final Map<String, Instant> lastPrune = new ConcurrentHashMap<>();

    public CycleCloser(StateStore store, Duration retention, Clock clock) {
        this.store = store;
        this.retention = retention;
        this.clock = clock;
    }

    public void finish(@ExchangeProperty(PageFetcher.CYCLE) Cycle cycle) {
        if (cycle.isAborted()) {
            return; // already reported in one line by the error handling
        }
        if (cycle.isIncomplete()) {
            LOG.warn("EM {} {}: cycle incomplete (a response was parked in the DLQ); the same window is read again next cycle",
                    cycle.emId(), cycle.sessionType());
            return;
        }
        store.commitWatermark(cycle.emId(), cycle.sessionType(), cycle.start());
        if (cycle.initialLoad()) {
            LOG.info("EM {} {}: first cycle done, {} sessions tracked, {} events published",
                    cycle.emId(), cycle.sessionType(), cycle.seen().size(), cycle.eventsPublished());
        } else {
            LOG.debug("EM {} {}: {} pages, {} sessions, {} events", cycle.emId(), cycle.sessionType(),
                    cycle.pagesRead(), cycle.seen().size(), cycle.eventsPublished());
        }
        pruneNowAndThen(cycle.emId());
    }

    private void pruneNowAndThen(String emId) {
        Instant now = clock.instant();
        Instant last = lastPrune.get(emId);
        if (last == null || last.plus(PRUNE_EVERY).isBefore(now)) {
            lastPrune.put(emId, now);
            store.prune(emId, now.minus(retention));
        }
    }
}
