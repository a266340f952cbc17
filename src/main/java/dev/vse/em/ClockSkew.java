package dev.vse.em;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How far one EM's clock is off this host's, from the {@code Date} header of its responses: EM Date minus local
 * time at receipt (negative = EM is behind). EM filters sessions by its own clock, so a skewed EM makes time
 * windows computed here wrong by that much. The header has 1 s resolution (and the answer took some time),
 * so skew below {@link #WARN_ABOVE} is not worth a word; above it, one WARN per EM, the first time. Thread-safe.
 */
final class ClockSkew {
    /** Skew beyond which the WARN is logged. */
    static final Duration WARN_ABOVE = Duration.ofMinutes(1);
    private static final Logger LOG = LoggerFactory.getLogger(ClockSkew.class);

    private final String emId;
    private final Clock clock;
    private final AtomicBoolean warned = new AtomicBoolean();
    private volatile Duration latest;

    ClockSkew(String emId, Clock clock) {
        this.emId = emId;
        this.clock = clock;
    }

    /** Records the skew shown by a response that arrived now with {@code emDate} in its Date header (null: none). */
    void observe(Instant emDate) {
        if (emDate == null) {
            return;
        }
        Duration skew = Duration.between(clock.instant(), emDate);
        latest = skew;
        if (skew.abs().compareTo(WARN_ABOVE) > 0 && warned.compareAndSet(false, true)) {
            LOG.warn("EM {}: its clock is {} {} this host (Date header); query windows and the baseline are widened "
                    + "by that much", emId, human(skew.abs()), skew.isNegative() ? "behind" : "ahead of");
        }
    }

    /** The latest measurement; empty until a response with a Date header arrived. */
    Optional<Duration> latest() {
        return Optional.ofNullable(latest);
    }

    /** e.g. {@code 10m 2s}, {@code 1h 0m 5s}, {@code 59s}; whole seconds. */
    static String human(Duration d) {
        long s = d.toSeconds();
        if (s >= 3600) {
            return s / 3600 + "h " + s % 3600 / 60 + "m " + s % 60 + "s";
        }
        return s >= 60 ? s / 60 + "m " + s % 60 + "s" : s + "s";
    }
}
