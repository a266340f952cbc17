package dev.vse.em;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.vse.em.support.LogCapture;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class EmRetryTest {
    private final EmRetry retry = new EmRetry(3, Duration.ofMillis(1));
    private LogCapture logs;

    @BeforeEach
    void captureLogs() {
        logs = LogCapture.of(EmRetry.class.getName());
    }

    @AfterEach
    void stopCapture() {
        logs.close();
        Thread.interrupted(); // never leak an interrupt into the next test
    }

    private static EmRequestException failure(FailureKind kind, int status) {
        return new EmRequestException(kind, "em01", "GET http://em/api/query", status, null, null, null);
    }

    /** Fails {@code failures} times with {@code kind}, then answers "ok"; counts the calls. */
    private static final class Flaky implements Supplier<String> {
        final AtomicInteger calls = new AtomicInteger();
        final int failures;
        final FailureKind kind;

        Flaky(int failures, FailureKind kind) {
            this.failures = failures;
            this.kind = kind;
        }

        @Override
        public String get() {
            if (calls.incrementAndGet() <= failures) {
                throw failure(kind, kind == FailureKind.RETRIABLE ? 503 : 404);
            }
            return "ok";
        }
    }

    @Test
    void givenAlwaysRetriable_whenCall_thenRetriedNTimesThenLastFailureThrown() {
        AtomicInteger calls = new AtomicInteger();
        EmRequestException last = failure(FailureKind.RETRIABLE, 503);
        Supplier<String> always = () -> {
            if (calls.incrementAndGet() == 4) {
                throw last;
            }
            throw failure(FailureKind.RETRIABLE, 500);
        };

        EmRequestException e = catchThrowableOfType(EmRequestException.class, () -> retry.call("em01", null, always));

        assertThat(e).isSameAs(last);
        assertThat(calls).hasValue(4);
        assertThat(logs.lines()).hasSize(3).allSatisfy(l -> assertThat(l).startsWith("WARN EM em01: "));
        assertThat(logs.lines().get(0)).endsWith("(attempt 1 of 4, retrying in 1ms)");
        assertThat(logs.lines().get(2)).endsWith("(attempt 3 of 4, retrying in 4ms)");
    }

    @Test
    void givenTwoRetriableFailures_whenCall_thenThirdAttemptsResultReturned() {
        Flaky flaky = new Flaky(2, FailureKind.RETRIABLE);

        assertThat(retry.call("em01", "query page 1", flaky)).isEqualTo("ok");
        assertThat(flaky.calls).hasValue(3);
        assertThat(logs.lines()).hasSize(2);
        assertThat(logs.lines().get(0)).startsWith("WARN EM em01: query page 1: RETRIABLE failure of EM em01");
    }

    @Test
    void givenPermanentFailure_whenCall_thenThrownAtOnce() {
        Flaky flaky = new Flaky(1, FailureKind.PERMANENT);

        EmRequestException e = catchThrowableOfType(EmRequestException.class, () -> retry.call("em01", null, flaky));

        assertThat(e.kind()).isEqualTo(FailureKind.PERMANENT);
        assertThat(flaky.calls).hasValue(1);
        assertThat(logs.lines()).isEmpty();
    }

    @Test
    void givenAuthenticationFailure_whenCall_thenNotRetried() {
        // EmClient already logged on again once; retrying would only hammer EM with refused logons
        Flaky flaky = new Flaky(1, FailureKind.AUTHENTICATION);

        assertThat(catchThrowableOfType(EmRequestException.class, () -> retry.call("em01", null, flaky)).kind())
                .isEqualTo(FailureKind.AUTHENTICATION);
        assertThat(flaky.calls).hasValue(1);
    }

    @Test
    void givenMalformedBody_whenCall_thenNotRetried() {
        Flaky flaky = new Flaky(1, FailureKind.MALFORMED);

        catchThrowableOfType(EmRequestException.class, () -> retry.call("em01", null, flaky));

        assertThat(flaky.calls).hasValue(1);
    }

    @Test
    void givenNoRetries_whenRetriableFailure_thenThrownAfterOneAttempt() {
        Flaky flaky = new Flaky(1, FailureKind.RETRIABLE);

        catchThrowableOfType(EmRequestException.class, () -> new EmRetry(0, Duration.ofMillis(1)).call("em01", null, flaky));

        assertThat(flaky.calls).hasValue(1);
    }

    @Test
    void givenInterruptedThread_whenRetriableFailure_thenFailureThrownAndInterruptKept() {
        Flaky flaky = new Flaky(5, FailureKind.RETRIABLE);
        EmRetry patient = new EmRetry(5, Duration.ofMinutes(10));
        Thread.currentThread().interrupt();

        EmRequestException e = catchThrowableOfType(EmRequestException.class, () -> patient.call("em01", null, flaky));

        assertThat(e.kind()).isEqualTo(FailureKind.RETRIABLE);
        assertThat(flaky.calls).hasValue(1);
        assertThat(Thread.currentThread().isInterrupted()).isTrue();
    }

    @Test
    void givenFirstPauseAndCap_whenPausesComputed_thenDoublingUpToTheCap() {
        EmRetry r = new EmRetry(10, Duration.ofSeconds(1), Duration.ofSeconds(5));

        assertThat(r.pauseBefore(1)).isEqualTo(Duration.ofSeconds(1));
        assertThat(r.pauseBefore(2)).isEqualTo(Duration.ofSeconds(2));
        assertThat(r.pauseBefore(3)).isEqualTo(Duration.ofSeconds(4));
        assertThat(r.pauseBefore(4)).isEqualTo(Duration.ofSeconds(5));
        assertThat(r.pauseBefore(60)).isEqualTo(Duration.ofSeconds(5));
    }
}
