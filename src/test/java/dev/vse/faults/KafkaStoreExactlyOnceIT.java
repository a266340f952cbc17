package dev.vse.faults;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vse.app.AppConfig;
import dev.vse.app.PipelineApp;
import dev.vse.app.Settings;
import dev.vse.em.support.LogCapture;
import dev.vse.observe.EmHealthCheck;
import dev.vse.simulator.EmSimulator;
import dev.vse.simulator.SimSession;
import dev.vse.simulator.SimulatorOptions;
import dev.vse.testkit.EmbeddedKafka;
import dev.vse.testkit.PipelineHarness;
import dev.vse.testkit.PipelineProcess;
import dev.vse.testkit.ReadCommittedVerdict;
import dev.vse.testkit.RestartableKafka;
import dev.vse.testkit.SessionScenario;
import dev.vse.testkit.TestConsumers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.apache.camel.health.HealthCheck;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Exactly once with {@code STATE_STORE=kafka}: a {@code read_committed} consumer finds every expected
 * completed/failed record once (0 missing, 0 duplicated by {@code ce_id}), and every change on the changes topic
 * once, whatever happens to the pipeline: kill -9 of its JVM at random points, broker restarts while page
 * transactions run, a second pipeline on the same EM and the same state (the older one is fenced and gives the EM
 * up). The scenario is {@link SessionScenario}: sessions start, progress, end, are retried.
 */
class KafkaStoreExactlyOnceIT {
    static final int KILLS = 12;

    @TempDir
    Path state;
    @TempDir
    Path kafkaDir;
    EmSimulator em;
    final String suffix = UUID.randomUUID().toString().substring(0, 8);
    final String completed = "completed-" + suffix;
    final String failed = "failed-" + suffix;
    final String changes = "changes-" + suffix;
    final String dlq = "dlq-" + suffix;
    final List<AutoCloseable> closing = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        for (int i = closing.size() - 1; i >= 0; i--) {
            closing.get(i).close();
        }
        if (em != null) {
            em.close();
        }
    }

    Map<String, String> overrides(String bootstrap, Path stateDir) {
        Map<String, String> o = new LinkedHashMap<>(PipelineHarness.overrides(bootstrap, stateDir, em.baseUrl(),
                completed, failed, changes, dlq));
        o.put("state.store", "kafka");
        o.put("topic.state", "state-" + suffix);
        o.put("state.kafka.transactional-id-prefix", "vse-" + suffix + "-");
        o.put("camel.main.shutdown-timeout", "5");
        o.put("camel.management.enabled", "false");
        return o;
    }

    // --- kill -9 ---------------------------------------------------------------------------------

    @Test
    void givenChildJvmKilledAtRandomPoints_whenScenarioEnds_thenReadCommittedSeesEveryTerminalRecordExactlyOnce()
            throws Exception {
        long seed = Long.getLong("crash.seed", System.nanoTime());
        System.out.println("KafkaStoreExactlyOnceIT kill seed=" + seed);
        Random rnd = new Random(seed);
        EmbeddedKafka kafka = EmbeddedKafka.start();
        closing.add(kafka);
        em = EmSimulator.start(SimulatorOptions.defaults().withPort(0).withBindHost("127.0.0.1"));
        Path log = Path.of("target", "kafka-store-kill-" + seed + ".log").toAbsolutePath();
        Files.createDirectories(log.getParent());
        Map<String, String> o = overrides(kafka.bootstrapServers(), state);
        o.put("events.console", "true");
        long t0 = System.nanoTime();

        PipelineProcess[] child = {PipelineProcess.start(o, log, "start 0")};
        closing.add(() -> child[0].close());
        assertThat(child[0].awaitLine(0, l -> l.contains("ReplicaJobSession: first cycle done"), Duration.ofSeconds(90)))
                .as("first cycle; see %s", log).isGreaterThanOrEqualTo(0);
        SessionScenario scenario = new SessionScenario(new Random(seed + 1), em);
        Thread driver = new Thread(scenario, "scenario");
        driver.start();
        int afterPublishing = 0;
        for (int k = 1; k <= KILLS; k++) {
            CrashRecoveryIT.KillPoint point = CrashRecoveryIT.KillPoint.draw(rnd);
            long spawned = System.nanoTime();
            switch (point) {
                case DURING_STARTUP -> Thread.sleep(Math.max(0, 300 + rnd.nextInt(4700) - (System.nanoTime() - spawned) / 1_000_000));
                case MID_CYCLE -> {
                    child[0].awaitLine(0, l -> l.contains("Started poll-em01"), Duration.ofSeconds(60));
                    Thread.sleep(1000 + rnd.nextInt(3000));
                }
                case RIGHT_AFTER_PUBLISH -> {
                    child[0].awaitLine(child[0].lineCount(), l -> l.contains(" key=urn:veeam:"), Duration.ofSeconds(60));
                    Thread.sleep(rnd.nextInt(40));
                }
            }
            if (child[0].lines().stream().anyMatch(l -> l.contains(" key=urn:veeam:"))) {
                afterPublishing++;
            }
            assertThat(child[0].isAlive()).as("child %d alive until killed; see %s", k, log).isTrue();
            child[0].kill();
            child[0] = PipelineProcess.start(o, log, "start " + k + " after kill at " + point);
        }
        scenario.finish();
        driver.join(10_000);

        ReadCommittedVerdict v = verdict(kafka.bootstrapServers(), Duration.ofSeconds(90));
        child[0].stop(Duration.ofSeconds(20));
        System.out.printf("KafkaStoreExactlyOnceIT kill: seed %d, %d kills (%d after publishing), %s, %.0f s%n", seed,
                KILLS, afterPublishing, v, (System.nanoTime() - t0) / 1e9);
        v.assertExactlyOnce();
        assertThat(afterPublishing).as("kills that hit a child at work").isGreaterThanOrEqualTo(KILLS / 4);
    }

    // --- broker restart ----------------------------------------------------------------------------

    @Test
    void givenBrokerRestartedWhilePageTransactionsRun_whenScenarioEnds_thenNothingLostNothingDoubled() throws Exception {
        RestartableKafka kafka = RestartableKafka.start(kafkaDir);
        closing.add(kafka);
        em = EmSimulator.start(SimulatorOptions.defaults().withPort(0).withBindHost("127.0.0.1"));
        LogCapture stopped = LogCapture.of("dev.vse.pipeline");
        closing.add(stopped);
        Map<String, String> o = overrides(kafka.bootstrapServers(), state);
        o.put("em.page-size", "2"); // many pages, so many transactions per cycle: a restart lands inside one
        // short producer timeouts: a restart longer than them fails the transaction open at that moment (aborted);
        // a shorter one is ridden out by the producer's retries (the transaction commits after the restart)
        o.put("camel.component.kafka.delivery-timeout-ms", "4000");
        o.put("camel.component.kafka.request-timeout-ms", "2000");
        o.put("camel.component.kafka.max-block-ms", "3000");
        PipelineApp app = start(o);
        closing.add(app);
        Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> app.store().watermark("em01", SimSession.REPLICA).isPresent());
        long t0 = System.nanoTime();
        Random rnd = new Random();
        SessionScenario scenario = new SessionScenario(new Random(rnd.nextLong()), em);
        Thread driver = new Thread(scenario, "scenario");
        driver.start();
        try (KafkaConsumer<String, byte[]> activity = TestConsumers.readCommitted(kafka.bootstrapServers(), List.of(changes))) {
            for (int i = 0; i < 3; i++) {
                // strike while records flow: the pipeline is in the middle of its page transactions
                Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> !activity.poll(Duration.ofMillis(100)).isEmpty());
                Thread.sleep(rnd.nextInt(30));
                kafka.stop();
                Thread.sleep(i == 0 ? 1000 + rnd.nextInt(1000) : 5000 + rnd.nextInt(2000));
                kafka.start();
                System.out.println("KafkaStoreExactlyOnceIT: broker restarted (" + (i + 1) + "), cycles stopped so far: "
                        + stopped.lines().stream().filter(l -> l.contains("cycle stopped")).count());
            }
        }
        scenario.finish();
        driver.join(10_000);
        ReadCommittedVerdict v = verdict(kafka.bootstrapServers(), Duration.ofSeconds(120));
        long failedCycles = stopped.lines().stream().filter(l -> l.contains("cycle stopped")).count();
        System.out.printf("KafkaStoreExactlyOnceIT broker restarts: 3, %d cycles stopped by them, %s, %.0f s%n",
                failedCycles, v, (System.nanoTime() - t0) / 1e9);
        v.assertExactlyOnce();
        assertThat(failedCycles).as("cycles whose transaction the restarts broke").isGreaterThan(0);
    }

    // --- fencing ---------------------------------------------------------------------------------

    @Test
    void givenSecondPipelineOnTheSameEmAndState_whenItStarts_thenTheOlderIsFencedGivesTheEmUpAndNothingIsDoubled()
            throws Exception {
        EmbeddedKafka kafka = EmbeddedKafka.start();
        closing.add(kafka);
        em = EmSimulator.start(SimulatorOptions.defaults().withPort(0).withBindHost("127.0.0.1"));
        LogCapture givenUp = LogCapture.of("dev.vse.observe");
        closing.add(givenUp);
        LogCapture sender = LogCapture.of("org.apache.kafka.clients.producer.internals.Sender");
        closing.add(sender);
        PipelineApp older = start(overrides(kafka.bootstrapServers(), state));
        closing.add(older);
        Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> older.store().watermark("em01", SimSession.REPLICA).isPresent());
        long t0 = System.nanoTime();
        SessionScenario scenario = new SessionScenario(new Random(), em);
        Thread driver = new Thread(scenario, "scenario");
        driver.start();
        Thread.sleep(3000);

        PipelineApp newer = start(overrides(kafka.bootstrapServers(), state.resolve("newer")));
        closing.add(newer);
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> older.status().status("em01").givenUp() != null);
        Instant lastCycleOfOlder = older.status().status("em01").lastCycleAt();
        EmHealthCheck health = new EmHealthCheck(older.status(), "em01", Duration.ofSeconds(1));
        health.setCamelContext(older.context());
        HealthCheck.Result r = health.call();
        assertThat(r.getState()).isEqualTo(HealthCheck.State.DOWN);
        assertThat(r.getMessage()).get().asString().contains("given up").contains("fenced");

        Thread.sleep(3000);
        scenario.finish();
        driver.join(10_000);
        ReadCommittedVerdict v = verdict(kafka.bootstrapServers(), Duration.ofSeconds(90));
        List<String> lines = givenUp.lines().stream().filter(l -> l.contains("given up")).toList();
        System.out.printf("KafkaStoreExactlyOnceIT fencing: %s; older said: %s; %.0f s%n", v, lines, (System.nanoTime() - t0) / 1e9);
        v.assertExactlyOnce();
        assertThat(lines).as("one line from the fenced instance").singleElement().asString()
                .startsWith("WARN EM em01: given up").contains("fenced");
        assertThat(sender.lines()).as("no second line from the Kafka client for the fencing")
                .noneMatch(l -> l.contains("fatal error"));
        assertThat(older.status().status("em01").lastCycleAt()).as("the older instance stopped polling")
                .isEqualTo(lastCycleOfOlder);
        assertThat(newer.status().status("em01").givenUp()).isNull();
    }

    // --- helpers ---------------------------------------------------------------------------------

    private PipelineApp start(Map<String, String> o) {
        Settings settings = Settings.load(Map.of(), o);
        PipelineApp app = new PipelineApp(AppConfig.from(settings), settings);
        app.start();
        return app;
    }

    private ReadCommittedVerdict verdict(String bootstrap, Duration atMost) {
        return ReadCommittedVerdict.await(bootstrap, Map.of("em01", em), completed, failed, changes, atMost);
    }
}
