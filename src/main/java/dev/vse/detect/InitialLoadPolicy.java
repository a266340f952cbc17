package dev.vse.detect;

import dev.vse.util.Durations;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * Which finished sessions are history when polling of an EM starts (DESIGN.md "Semantics"). The rule is by
 * time, not by cycle: the pipeline records once, durably, the instant {@code B} at which it first polled an
 * EM (per session type); a session first seen already Stopped with an {@code EndTimeUTC} before the
 * policy's boundary is recorded without a completed/failed record. Whether the first cycle completed has no
 * bearing on this. Parsed from {@code baseline}, {@code all}, {@code since:24h} or {@code since:PT24H}.
 */
public sealed interface InitialLoadPolicy {
    /** The default: sessions that ended before {@code B} are history. */
    InitialLoadPolicy BASELINE = new Baseline();
    /** No history: every finished session found gets its completed/failed record. */
    InitialLoadPolicy ALL = new All();

    /**
     * The boundary for baseline instant {@code b}: a session first seen Stopped that ended before it is history;
     * empty when nothing is history.
     */
    Optional<Instant> historyBefore(Instant b);

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
        @Override public Optional<Instant> historyBefore(Instant b) { return Optional.of(b); }
        @Override public String toString() { return "baseline"; }
    }

    record All() implements InitialLoadPolicy {
        @Override public Optional<Instant> historyBefore(Instant b) { return Optional.empty(); }
        @Override public String toString() { return "all"; }
    }

    /** {@code since:<d>}: the boundary moves to {@code B - d}, so sessions that ended within {@code d} before the start count. */
    record EndedWithin(Duration window) implements InitialLoadPolicy {
        public EndedWithin {
            Objects.requireNonNull(window, "window");
            if (window.isNegative()) {
                throw new IllegalArgumentException("initial-load window must not be negative: " + window);
            }
        }

        @Override
        public Optional<Instant> historyBefore(Instant b) {
            return Optional.of(b.minus(window));
        }

        @Override public String toString() { return "since:" + window; }
    }
}
