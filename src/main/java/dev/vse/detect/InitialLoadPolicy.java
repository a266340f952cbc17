package dev.vse.detect;

import dev.vse.util.Durations;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Objects;

/**
 * What to do with sessions that are already finished at the very first cycle against an EM
 * (DESIGN.md "Semantics"). Parsed from {@code baseline}, {@code all}, {@code since:24h} or
 * {@code since:PT24H}.
 */
public sealed interface InitialLoadPolicy {
    /** The default: record history, publish no completed/failed record for it. */
    InitialLoadPolicy BASELINE = new Baseline();
    /** Publish completed/failed records for every finished session found. */
    InitialLoadPolicy ALL = new All();

    /** Whether a session that is already terminal at the initial load gets its terminal record. */
    boolean emitsTerminal(Instant endTime, Instant now);

    static InitialLoadPolicy endedWithin(Duration window) {
        return new EndedWithin(window);
    }

    static InitialLoadPolicy parse(String text) {
        String value = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
        if (value.isEmpty() || value.equals("baseline")) {
            return BASELINE;
        }
        if (value.equals("all")) {
            return ALL;
        }
        if (value.startsWith("since:")) {
            return endedWithin(Durations.parse(value.substring("since:".length())));
        }
        throw new IllegalArgumentException("initial-load policy must be baseline, all or since:<duration>, got '"
                + text + "'");
    }

    record Baseline() implements InitialLoadPolicy {
        @Override public boolean emitsTerminal(Instant endTime, Instant now) { return false; }
        @Override public String toString() { return "baseline"; }
    }

    record All() implements InitialLoadPolicy {
        @Override public boolean emitsTerminal(Instant endTime, Instant now) { return true; }
        @Override public String toString() { return "all"; }
    }

    /** Only sessions whose EndTime lies within {@code window} before now; no EndTime means "not within". */
    record EndedWithin(Duration window) implements InitialLoadPolicy {
        public EndedWithin {
            Objects.requireNonNull(window, "window");
            if (window.isNegative()) {
                throw new IllegalArgumentException("initial-load window must not be negative: " + window);
            }
        }

        @Override
        public boolean emitsTerminal(Instant endTime, Instant now) {
            return endTime != null && !endTime.isBefore(now.minus(window));
        }

        @Override public String toString() { return "since:" + window; }
    }
}
