package dev.vse.simulator;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/** A clock that only moves when a test tells it to. Thread-safe. */
public final class ManualClock implements SimClock {
    private volatile Instant now;

    public ManualClock(Instant start) {
        this.now = Objects.requireNonNull(start);
    }

    @Override
    public Instant now() {
        return now;
    }

    public synchronized ManualClock advance(Duration d) {
        now = now.plus(d);
        return this;
    }

    public synchronized ManualClock set(Instant instant) {
        now = Objects.requireNonNull(instant);
        return this;
    }
}
