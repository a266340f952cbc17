package dev.vse.observe;

import dev.vse.util.Durations;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Backs off from an EM that fails, per EM, across cycles: after the n-th failed attempt in a row the next one is
 * due {@code base × 2^(n-1)} later, at most {@code authMax} (1 h) when the credentials were refused (a wrong password
 * must not lock the EM account) and at most {@code unavailableMax} when EM was unavailable after the in-cycle
 * retries. Until then the EM's poll timer skips its cycles ({@link #due}); other EMs have their own timers and
 * are never delayed. A cycle that reaches EM again ends the backoff. Other failures (EM errors, Kafka) do not
 * back off: the next cycle retries as usual. Thread-safe; the clock is injectable for tests.
 */
public final class EmBackoff {
    private static final Logger LOG = LoggerFactory.getLogger(EmBackoff.class);

    private final Duration base;
    private final Duration authMax;
    private final Duration unavailableMax;
    private final Clock clock;
    private final Map<String, Pause> pauses = new ConcurrentHashMap<>();

    /** One EM's backoff: what failed, how often in a row, and when the next attempt is due. */
    public record Pause(EmState cause, int failures, Instant next, Duration length) { }

    public EmBackoff(Duration base, Duration authMax, Duration unavailableMax, Clock clock) {
        this.base = base;
        this.authMax = authMax;
        this.unavailableMax = unavailableMax;
        this.clock = clock;
    }

    /** The contract's policy: base = the poll interval, credentials up to 1 h, unavailable EM up to 5 min. */
    public static EmBackoff forInterval(Duration pollInterval, Clock clock) {
        Duration five = Duration.ofMinutes(5);
        return new EmBackoff(pollInterval, Duration.ofHours(1), pollInterval.compareTo(five) > 0 ? pollInterval : five, clock);
    }

    /**
     * Whether the EM may be asked now: no backoff, or its next attempt is due (within half the base interval, so
     * that a timer tick a few milliseconds early is not skipped).
     */
    public boolean due(String emId) {
        Pause p = pauses.get(emId);
        return p == null || !clock.instant().isBefore(p.next().minus(base.dividedBy(2)));
    }

    /**
     * An attempt on {@code emId} failed with {@code state}; returns the pause before the next attempt when this
     * failure backs off (credentials refused, EM unavailable), empty otherwise.
     */
    public Optional<Pause> failed(String emId, EmState state) {
        if (state != EmState.AUTH_REFUSED && state != EmState.EM_UNAVAILABLE) {
            return Optional.empty();
        }
        Pause p = pauses.compute(emId, (id, old) -> {
            int n = old != null && old.cause() == state ? old.failures() + 1 : 1;
            Duration max = state == EmState.AUTH_REFUSED ? authMax : unavailableMax;
            Duration length = base;
            for (int i = 1; i < n && length.compareTo(max) < 0; i++) {
                length = length.multipliedBy(2);
            }
            length = length.compareTo(max) > 0 ? max : length;
            return new Pause(state, n, clock.instant().plus(length), length);
        });
        return Optional.of(p);
    }

    /** A cycle reached EM and was answered: no more backoff. */
    public void succeeded(String emId) {
        Pause p = pauses.remove(emId);
        if (p != null && p.failures() > 1) {
            LOG.info("EM {}: answering again after {} failed attempts ({}); backoff ended", emId, p.failures(), p.cause());
        }
    }

    /** The current backoff of {@code emId}, if any. */
    public Optional<Pause> pause(String emId) {
        return Optional.ofNullable(pauses.get(emId));
    }

    /** How the log line of a failed attempt ends: when the next attempt is. */
    public static String describe(Pause p) {
        return "attempt " + p.failures() + " failed (" + p.cause() + "); next attempt in " + Durations.format(p.length())
                + ", cycles of this EM skipped until then";
    }
}
