package dev.vse.simulator;

import java.time.Duration;
import java.time.Instant;

/** The simulator's notion of "now": drives timelines, generated runs, collection lag, token idle expiry and Date. */
@FunctionalInterface
public interface SimClock {
    Instant now();

    /** Wall-clock time. */
    static SimClock system() {
        return Instant::now;
    }

    /** {@code base} shifted by {@code offset} (negative: behind it), e.g. an EM whose clock is 10 minutes late. */
    static SimClock offset(SimClock base, Duration offset) {
        return offset.isZero() ? base : () -> base.now().plus(offset);
    }
}
