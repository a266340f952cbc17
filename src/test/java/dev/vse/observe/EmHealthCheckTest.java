package dev.vse.observe;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vse.detect.InMemoryStateStore;
import dev.vse.em.EmRequestException;
import dev.vse.em.FailureKind;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.apache.camel.health.HealthCheck;
import org.junit.jupiter.api.Test;

/** The health rules on an injectable clock: grace, 3 intervals, refused credentials at once, Kafka. */
class EmHealthCheckTest {
    private static final Duration INTERVAL = Duration.ofSeconds(10);
    private final EmBackoffTest.MovingClock clock = new EmBackoffTest.MovingClock();
    private final EmStatusBoard board = new EmStatusBoard(new SimpleMeterRegistry(), new InMemoryStateStore(), clock);
    private final EmHealthCheck em = new EmHealthCheck(board, "em01", INTERVAL);
    private final KafkaHealthCheck kafka = new KafkaHealthCheck(board);

    EmHealthCheckTest() {
        board.register("em01", "https://em01:9398/api", List.of("BackupJobSession", "ReplicaJobSession"), Optional::empty);
        board.pollingStarted();
    }

    @Test
    void upDuringTheGrace_downAfterThreeIntervalsWithoutSuccess_upAfterTheNext() {
        clock.advance(Duration.ofSeconds(29));
        assertThat(em.call().getState()).isEqualTo(HealthCheck.State.UP);
        clock.advance(Duration.ofSeconds(2));
        HealthCheck.Result r = em.call();
        assertThat(r.getState()).isEqualTo(HealthCheck.State.DOWN);
        assertThat(r.getMessage()).hasValueSatisfying(m -> assertThat(m).contains("em01").contains("since start"));
        assertThat(r.getDetails()).containsEntry("em", "em01");
        board.cycleSucceeded("em01", "BackupJobSession");
        assertThat(em.call().getState()).as("every session type must succeed").isEqualTo(HealthCheck.State.DOWN);
        board.cycleSucceeded("em01", "ReplicaJobSession");
        assertThat(em.call().getState()).isEqualTo(HealthCheck.State.UP);
        clock.advance(Duration.ofSeconds(31));
        assertThat(em.call().getState()).isEqualTo(HealthCheck.State.DOWN);
    }

    @Test
    void clustered_standbyEmIsUpWithStatusStandby_theLeaderGetsAGraceFromTheTakeOver() {
        EmStatusBoard clustered = new EmStatusBoard(new SimpleMeterRegistry(), new InMemoryStateStore(), clock);
        clustered.clustered();
        clustered.register("em01", "https://em01:9398/api", List.of("BackupJobSession"), Optional::empty);
        clustered.pollingStarted();
        EmHealthCheck check = new EmHealthCheck(clustered, "em01", INTERVAL, false);
        assertThat(check.isReadiness()).isFalse();
        clock.advance(Duration.ofMinutes(10));
        HealthCheck.Result standby = check.call();
        assertThat(standby.getState()).as("another instance polls it").isEqualTo(HealthCheck.State.UP);
        assertThat(standby.getDetails()).containsEntry("status", "standby");
        // taken over now: a fresh grace of 3 intervals, then DOWN without a successful cycle
        clustered.leading("em01", true);
        assertThat(clustered.standby("em01")).isFalse();
        clock.advance(Duration.ofSeconds(29));
        assertThat(check.call().getState()).isEqualTo(HealthCheck.State.UP);
        clock.advance(Duration.ofSeconds(2));
        assertThat(check.call().getState()).isEqualTo(HealthCheck.State.DOWN);
        clustered.leading("em01", false);
        assertThat(check.call().getDetails()).containsEntry("status", "standby");
    }

    @Test
    void refusedCredentials_downAtOnce_evenInTheGrace() {
        board.cycleFailed("em01", "BackupJobSession", new EmRequestException(FailureKind.AUTHENTICATION, "em01",
                "POST https://em01:9398/api/sessionMngr/?v=latest", 401, null, "credentials refused", null));
        HealthCheck.Result r = em.call();
        assertThat(r.getState()).isEqualTo(HealthCheck.State.DOWN);
        assertThat(r.getDetails()).containsEntry("reason", "credentials refused").containsEntry("status", "auth-refused");
        assertThat(em.isLiveness()).isFalse();
    }

    @Test
    void kafka_downOnAKafkaError_upAfterTheNextAck() {
        assertThat(kafka.call().getState()).isEqualTo(HealthCheck.State.UP);
        EmState s = board.cycleFailed("em01", "BackupJobSession",
                new RuntimeException("send failed", new org.apache.kafka.common.errors.TimeoutException("Expiring 3 record(s)")));
        assertThat(s).isEqualTo(EmState.KAFKA_UNAVAILABLE);
        assertThat(kafka.call().getState()).isEqualTo(HealthCheck.State.DOWN);
        assertThat(board.status("em01").lastError()).contains("Expiring 3 record(s)").doesNotContain("\n");
        board.published("em01", List.of());
        assertThat(kafka.call().getState()).isEqualTo(HealthCheck.State.UP);
    }
}
