package dev.vse.observe;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class EmBackoffTest {
    /** A clock the test moves. */
    static final class MovingClock extends Clock {
        Instant now = Instant.parse("2026-01-01T00:00:00Z");
        @Override public ZoneOffset getZone() { return ZoneOffset.UTC; }
        @Override public Clock withZone(java.time.ZoneId zone) { return this; }
        @Override public Instant instant() { return now; }
        void advance(Duration d) { now = now.plus(d); }
    }

    private final MovingClock clock = new MovingClock();

    @Test
    void wrongPasswordForTenMinutesAtTwoSeconds_staysUnderFifteenLogonAttempts() {
        EmBackoff backoff = EmBackoff.forInterval(Duration.ofSeconds(2), clock);
        int attempts = 0;
        for (int tick = 0; tick < 300; tick++) { // 10 min of 2 s timer ticks
            if (backoff.due("em01")) {
                attempts++;
                backoff.failed("em01", EmState.AUTH_REFUSED);
            }
            clock.advance(Duration.ofSeconds(2));
        }
        System.out.println("EmBackoffTest: " + attempts + " logon attempts in 10 min at a 2 s interval");
        assertThat(attempts).isBetween(5, 14);
    }

    @Test
    void pausesDoubleUpToOneHourForRefusedCredentials() {
        EmBackoff backoff = EmBackoff.forInterval(Duration.ofSeconds(2), clock);
        Duration last = Duration.ZERO;
        for (int i = 0; i < 20; i++) {
            last = backoff.failed("em01", EmState.AUTH_REFUSED).orElseThrow().length();
        }
        assertThat(last).isEqualTo(Duration.ofHours(1));
        assertThat(backoff.failed("em01", EmState.EM_UNAVAILABLE).orElseThrow().length())
                .as("a different failure starts again from the base").isEqualTo(Duration.ofSeconds(2));
        for (int i = 0; i < 20; i++) {
            last = backoff.failed("em01", EmState.EM_UNAVAILABLE).orElseThrow().length();
        }
        assertThat(last).as("an unavailable EM is asked at least every 5 min").isEqualTo(Duration.ofMinutes(5));
    }

    @Test
    void oneEmBackingOffNeverHoldsAnother_andSuccessEndsTheBackoff() {
        EmBackoff backoff = EmBackoff.forInterval(Duration.ofSeconds(2), clock);
        for (int i = 0; i < 5; i++) {
            backoff.failed("em01", EmState.AUTH_REFUSED);
        }
        assertThat(backoff.due("em01")).isFalse();
        assertThat(backoff.due("em02")).isTrue();
        backoff.succeeded("em01");
        assertThat(backoff.due("em01")).isTrue();
    }

    @Test
    void emErrorsAndKafkaFailuresDoNotBackOff() {
        EmBackoff backoff = EmBackoff.forInterval(Duration.ofSeconds(2), clock);
        assertThat(backoff.failed("em01", EmState.EM_ERROR)).isEmpty();
        assertThat(backoff.failed("em01", EmState.KAFKA_UNAVAILABLE)).isEmpty();
        assertThat(backoff.due("em01")).isTrue();
    }
}
