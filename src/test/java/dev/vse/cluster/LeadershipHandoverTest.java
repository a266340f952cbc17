package dev.vse.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vse.detect.InMemoryStateStore;
import dev.vse.observe.EmOwnership;
import dev.vse.observe.EmStatusBoard;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A leader whose producer is fenced (an instance without cluster service took the EM) gives the EM up, then takes it
 * back after the lease while it still leads: without that the EM stays unpolled once the other instance is gone.
 */
class LeadershipHandoverTest {
    private final ScheduledExecutorService retakes = Executors.newSingleThreadScheduledExecutor();
    private final EmOwnership ownership = new EmOwnership();
    private final EmStatusBoard board = new EmStatusBoard(new SimpleMeterRegistry(), new InMemoryStateStore(), Clock.systemUTC());
    private final AtomicBoolean closing = new AtomicBoolean();
    private final LeadershipHandover handover;

    LeadershipHandoverTest() {
        board.clustered();
        board.register("em01", "http://em01/api", List.of("BackupJobSession"), Optional::empty);
        handover = new LeadershipHandover("em01", "veeam-em-em01", "vse-0", new InMemoryStateStore(), board, ownership,
                closing, retakes, Duration.ofMillis(300));
    }

    @AfterEach
    void stop() {
        retakes.shutdownNow();
    }

    @Test
    void fencedWhileLeading_takenBackAfterTheLease() {
        handover.onStart(null);
        ownership.release("em01", "producer fenced by a newer one");
        assertThat(ownership.owns("em01")).isFalse();
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> ownership.owns("em01"));
        assertThat(board.status("em01").givenUp()).isNull();
    }

    @Test
    void fencedWhileNotLeading_orClosing_staysGivenUp() throws Exception {
        ownership.release("em01", "producer fenced by a newer one");
        Thread.sleep(800);
        assertThat(ownership.owns("em01")).as("not leading: not taken back").isFalse();
        handover.onStart(null); // taking the lead takes it back at once
        assertThat(ownership.owns("em01")).isTrue();
        closing.set(true);
        ownership.release("em01", "producer fenced by a newer one");
        Thread.sleep(800);
        assertThat(ownership.owns("em01")).as("closing: not taken back").isFalse();
    }
}
