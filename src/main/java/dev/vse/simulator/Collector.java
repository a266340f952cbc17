package dev.vse.simulator;

import java.time.Duration;
import java.time.Instant;

/**
 * EM's data-collection job. With lag M &gt; 0 the API shows the estate as it was at the last boundary
 * {@code start + k·M}: new sessions and transitions appear in batches, and short runs may be first seen already
 * Stopped. With lag 0 the API is live. The estate driver (scenario/generator) is advanced lazily, up to the
 * boundary, when a request asks for the current snapshot.
 */
final class Collector {
    private final SessionEstate estate;
    private final EstateDriver driver;
    private final SimClock clock;
    private final Instant start;
    private final Duration lag;
    private Snapshot snapshot;
    private long snapshotVersion = -1;
    private long boundaryIndex = Long.MIN_VALUE;
    private long epoch;

    Collector(SessionEstate estate, EstateDriver driver, SimClock clock, Instant start, Duration lag) {
        this.estate = estate;
        this.driver = driver;
        this.clock = clock;
        this.start = start;
        this.lag = lag;
    }

    /** The snapshot visible now. */
    synchronized Snapshot current() {
        Instant now = clock.now();
        if (lag.isZero()) {
            advance(now);
            if (snapshot == null || estate.version() != snapshotVersion) {
                take();
            }
            return snapshot;
        }
        long k = Math.floorDiv(Duration.between(start, now).toMillis(), lag.toMillis());
        if (snapshot == null || k != boundaryIndex) {
            advance(start.plusMillis(k * lag.toMillis()));
            take();
            boundaryIndex = k;
        }
        return snapshot;
    }

    /** Advances the driver to now without changing what the API shows (used at start-up). */
    synchronized void advanceDriver(Instant t) {
        advance(t);
    }

    private void advance(Instant t) {
        if (driver != null) {
            driver.advanceTo(t, estate);
        }
    }

    private void take() {
        snapshotVersion = estate.version();
        snapshot = new Snapshot(++epoch, estate.all(), estate.jobs());
    }
}
