package dev.vse.simulator;

import java.time.Instant;

/** The simulator's notion of "now": drives timelines, generated runs, collection lag and token idle expiry. */
@FunctionalInterface
public interface SimClock {
    Instant now();

    /** Wall-clock time. */
    static SimClock system() {
        return Instant::now;
    }
}
