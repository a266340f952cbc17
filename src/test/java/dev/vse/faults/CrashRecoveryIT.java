package dev.vse.faults;

import static dev.vse.testkit.PipelineHarness.header;
import static dev.vse.testkit.PipelineHarness.value;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vse.event.EventIds;
import dev.vse.event.EventType;
import dev.vse.simulator.EmSimulator;
import dev.vse.simulator.SimSession;
import dev.vse.simulator.SimulatorOptions;
import dev.vse.testkit.PipelineHarness;
import dev.vse.testkit.EmbeddedKafka;
import dev.vse.testkit.PipelineProcess;
import dev.vse.testkit.SessionScenario;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Crash safety of the whole pipeline: the real application runs in its own JVM (file state store on disk,
 * real HTTP to the EM simulator, real Kafka broker) and is killed with SIGKILL at random points, at least
 * {@value #KILLS} times, while sessions start, progress, end and are retried in the simulator. Each time it
 * is restarted on the same state directory.
 *
 * <p>Failure modes guarded: a terminal record lost because the snapshot advanced before Kafka acknowledged
 * it (or a crash tore the journal and the restart took the EM for a first start, suppressing terminal
 * records as "history"); a re-publication after a crash carrying a different {@code ce_id} than the first
 * publication (consumers could not deduplicate it); the last change of a session missing from
 * {@code changes}. Duplicates are allowed, but only as identical re-publications.
 *
 * <p>The kill points are drawn from a seeded {@link Random}; the seed is printed (re-run with
 * {@code -Dcrash.seed=<seed>}). Timing still depends on the machine, so a seed reproduces the plan, not the
 * exact interleaving. The child's output is in {@code target/crash-recovery-<seed>.log}.
 */
class CrashRecoveryIT {
    /** Abrupt kills within the test (the issue asks for at least 20). */
    static final int KILLS = 20;

    @TempDir
    Path state;
    EmbeddedKafka kafka;
    EmSimulator em;
    PipelineProcess child;
    final String suffix = UUID.randomUUID().toString().substring(0, 8);
    final String completed = "completed-" + suffix;
    final String failed = "failed-" + suffix;
    final String changes = "changes-" + suffix;
    final String dlq = "dlq-" + suffix;

    enum KillPoint {
        /** 0.3–5 s after the JVM was spawned: while the JVM and Camel start, the state store being opened. */
        DURING_STARTUP,
        /** 1–4 s after the routes started: at logon, querying, detecting, publishing or committing. */
        MID_CYCLE,
        /** 0–40 ms after an event line: between Kafka's ack and the store's commit, or on the next page. */
        RIGHT_AFTER_PUBLISH;

        static KillPoint draw(Random rnd) {
            int r = rnd.nextInt(100);
            return r < 30 ? DURING_STARTUP : r < 65 ? MID_CYCLE : RIGHT_AFTER_PUBLISH;
        }
    }

    @BeforeEach
    void start() throws IOException {
        kafka = EmbeddedKafka.start();
        em = EmSimulator.start(SimulatorOptions.defaults().withPort(0).withBindHost("127.0.0.1"));
    }

    @AfterEach
    void stop() throws Exception {
        if (child != null) {
            child.close();
        }
        if (em != null) {
            em.close();
        }
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void givenPipelineKilledAtRandomPointsAndRestarted_whenScenarioRunsToTheEnd_thenNoTerminalRecordIsLost_andRepeatsCarryTheSameCeId()
            throws Exception {
        long seed = Long.getLong("crash.seed", System.nanoTime());
        System.out.println("CrashRecoveryIT seed=" + seed + " (re-run with -Dcrash.seed=" + seed + ")");
        Random rnd = new Random(seed);
        Path log = Path.of("target", "crash-recovery-" + seed + ".log").toAbsolutePath();
        Files.createDirectories(log.getParent());
        long t0 = System.nanoTime();

        // first start: empty estate, so the initial-load baseline suppresses nothing the scenario creates
        child = PipelineProcess.start(overrides(), log, "start 0");
        assertThat(child.awaitLine(0, l -> l.contains("BackupJobSession: first cycle done"), Duration.ofSeconds(90)))
                .as("first cycle of the first child; see %s", log).isGreaterThanOrEqualTo(0);
        assertThat(child.awaitLine(0, l -> l.contains("ReplicaJobSession: first cycle done"), Duration.ofSeconds(30)))
                .as("first cycle of the first child; see %s", log).isGreaterThanOrEqualTo(0);

        SessionScenario scenario = new SessionScenario(new Random(seed + 1), em);
        Thread driver = new Thread(scenario, "scenario");
        driver.start();

        Map<KillPoint, Integer> kills = new EnumMap<>(KillPoint.class);
        int killedAfterPublishing = 0;
        for (int k = 1; k <= KILLS; k++) {
            KillPoint point = KillPoint.draw(rnd);
            long spawned = System.nanoTime();
            switch (point) {
                case DURING_STARTUP -> sleepUntil(spawned, 300 + rnd.nextInt(4700));
                case MID_CYCLE -> {
                    child.awaitLine(0, l -> l.contains("Started poll-em01"), Duration.ofSeconds(60));
                    Thread.sleep(1000 + rnd.nextInt(3000));
                }
                case RIGHT_AFTER_PUBLISH -> {
                    // the scenario keeps changing sessions, so every cycle has something to publish
                    child.awaitLine(child.lineCount(), l -> l.contains(" key=urn:veeam:"), Duration.ofSeconds(60));
                    Thread.sleep(rnd.nextInt(40));
                }
            }
            boolean wasAlive = child.isAlive();
            if (child.lines().stream().anyMatch(l -> l.contains(" key=urn:veeam:"))) {
                killedAfterPublishing++;
            }
            child.kill();
            assertThat(wasAlive).as("child %d was alive until killed (exit %d); see %s", k, child.exitValue(), log).isTrue();
            kills.merge(point, 1, Integer::sum);
            child = PipelineProcess.start(overrides(), log, "start " + k + " after kill at " + point);
        }
        scenario.finish();
        driver.join(10_000);
        assertThat(driver.isAlive()).isFalse();

        // the last child runs to quiescence
        Map<String, Expected> expected = expectedTerminals();
        List<ConsumerRecord<String, byte[]>> received = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = kafka.consumer(completed, failed, changes, dlq)) {
            try {
                Awaitility.await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200)).until(() -> {
                    received.addAll(EmbeddedKafka.drain(consumer, Duration.ofMillis(200)));
                    return terminalKeys(received).containsAll(expected.keySet())
                            && lastChangesPresent(received, expected.keySet()).size() == expected.size();
                });
            } catch (ConditionTimeoutException e) {
                Set<String> noTerminal = new TreeSet<>(expected.keySet());
                noTerminal.removeAll(terminalKeys(received));
                Set<String> noLastChange = new TreeSet<>(expected.keySet());
                noLastChange.removeAll(lastChangesPresent(received, expected.keySet()));
                List<String> lines = child.lines();
                throw new AssertionError(String.format("seed %d: after 90 s, %d of %d sessions without a terminal record %s, %d without "
                                + "their final change %s; last child alive: %s; its last lines: %s; log %s", seed, noTerminal.size(),
                        expected.size(), noTerminal, noLastChange.size(), noLastChange, child.isAlive(),
                        lines.subList(Math.max(0, lines.size() - 15), lines.size()), log), e);
            }
            // a few more cycles observe the ended sessions: for 4 s, whatever else arrives on completed/failed is a
            // re-publication of an expected terminal record (same session, topic and ce_id), nothing parked
            Awaitility.await().during(Duration.ofSeconds(4)).atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200))
                    .untilAsserted(() -> {
                        received.addAll(EmbeddedKafka.drain(consumer, Duration.ofMillis(100)));
                        assertThat(terminalKeys(received)).as("sessions with a terminal record").isEqualTo(expected.keySet());
                        assertThat(received).filteredOn(r -> r.topic().equals(completed) || r.topic().equals(failed))
                                .allSatisfy(r -> {
                                    assertThat(r.topic()).as("topic of %s", r.key()).isEqualTo(expected.get(r.key()).topic());
                                    assertThat(header(r, "ce_id")).as("ce_id of %s", r.key()).isEqualTo(expected.get(r.key()).ceId());
                                });
                        assertThat(received).as("parked").noneMatch(r -> r.topic().equals(dlq));
                    });
            received.addAll(EmbeddedKafka.drain(consumer, Duration.ofMillis(500)));
        }
        child.stop(Duration.ofSeconds(20));
        assertThat(child.exitValue()).as("graceful stop of the last child (SIGTERM)").isIn(0, 143);

        // --- verdict ---------------------------------------------------------------------------
        List<ConsumerRecord<String, byte[]>> terminal = received.stream()
                .filter(r -> r.topic().equals(completed) || r.topic().equals(failed)).toList();
        Map<String, List<ConsumerRecord<String, byte[]>>> byKey = terminal.stream()
                .collect(Collectors.groupingBy(ConsumerRecord::key, TreeMap::new, Collectors.toList()));
        Set<String> missing = new HashSet<>(expected.keySet());
        missing.removeAll(byKey.keySet());
        int duplicates = terminal.size() - byKey.size();
        List<ConsumerRecord<String, byte[]>> changeRecords = received.stream().filter(r -> r.topic().equals(changes)).toList();
        long changeDuplicates = changeRecords.size() - changeRecords.stream().map(r -> header(r, "ce_id")).distinct().count();
        System.out.printf("CrashRecoveryIT seed=%d: %d kills survived %s, %d of them after the child had published; %d sessions in the scenario; terminal records "
                        + "expected %d, found %d distinct (%d records, %d duplicates), missing %d; changes records %d "
                        + "(%d re-publications); %.0f s%n",
                seed, KILLS, kills, killedAfterPublishing, em.estate().size(), expected.size(), byKey.size(), terminal.size(), duplicates,
                missing.size(), changeRecords.size(), changeDuplicates, (System.nanoTime() - t0) / 1e9);

        assertThat(killedAfterPublishing).as("kills that hit a child in the middle of its work").isGreaterThanOrEqualTo(KILLS / 4);
        assertThat(missing).as("terminal records lost (seed %d, log %s)", seed, log).isEmpty();
        assertThat(byKey.keySet()).as("terminal records for sessions that did not end").isEqualTo(expected.keySet());
        byKey.forEach((key, records) -> {
            Expected e = expected.get(key);
            assertThat(records).as("every record of %s", key).allSatisfy(r -> {
                assertThat(r.topic()).isEqualTo(e.topic());
                assertThat(header(r, "ce_id")).as("ce_id of %s (repeats must be identical)", key).isEqualTo(e.ceId());
                assertThat(header(r, "ce_type")).isEqualTo(e.type().ceType());
                assertThat(value(r).get("result").asText()).isEqualTo(e.result());
            });
        });
        assertThat(lastChangesPresent(received, expected.keySet())).as("final change of every session on %s", changes)
                .hasSameSizeAs(expected.keySet());
        // the same ce_id on changes = the same change, re-published
        Map<String, Set<String>> changeById = new HashMap<>();
        for (ConsumerRecord<String, byte[]> r : changeRecords) {
            JsonNode v = value(r);
            changeById.computeIfAbsent(header(r, "ce_id"), id -> new HashSet<>()).add(r.key() + " " + v.get("previousState")
                    + "/" + v.get("previousResult") + " -> " + v.get("state") + "/" + v.get("result") + " retry=" + v.get("isRetry"));
        }
        assertThat(changeById).as("one change per ce_id on %s", changes).allSatisfy((id, what) -> assertThat(what).hasSize(1));
        assertThat(received.stream().filter(r -> r.topic().equals(dlq))).as("nothing parked").isEmpty();
    }

    // --- the scenario ------------------------------------------------------------------------------

    // --- expectations ------------------------------------------------------------------------------

    record Expected(String uid, EventType type, String topic, String ceId, String result) { }

    /** One terminal record per session of the estate (all ended by now), id per {@link EventIds#terminal}. */
    private Map<String, Expected> expectedTerminals() {
        Map<String, Expected> out = new LinkedHashMap<>();
        for (SimSession s : em.estate().all()) {
            assertThat(s.getState()).as("scenario ended every session").isEqualTo("Stopped");
            EventType type = s.getResult().equals("Failed") ? EventType.FAILED : EventType.COMPLETED;
            out.put(s.uid(), new Expected(s.uid(), type, type == EventType.FAILED ? failed : completed,
                    EventIds.terminal("em01", s.uid(), type), s.getResult()));
        }
        return out;
    }

    private Set<String> terminalKeys(List<ConsumerRecord<String, byte[]>> records) {
        return records.stream().filter(r -> r.topic().equals(completed) || r.topic().equals(failed))
                .map(ConsumerRecord::key).collect(Collectors.toSet());
    }

    /** Sessions whose final state (Stopped + their final result) is on the changes topic. */
    private Set<String> lastChangesPresent(List<ConsumerRecord<String, byte[]>> records, Set<String> uids) {
        Map<String, String> finalResult = em.estate().all().stream().collect(Collectors.toMap(SimSession::uid, SimSession::getResult));
        return records.stream().filter(r -> r.topic().equals(changes)).filter(r -> uids.contains(r.key()))
                .filter(r -> {
                    JsonNode v = value(r);
                    return v.get("state").asText().equals("Stopped") && v.get("result").asText().equals(finalResult.get(r.key()));
                })
                .map(ConsumerRecord::key).collect(Collectors.toSet());
    }

    private Map<String, String> overrides() {
        Map<String, String> o = new LinkedHashMap<>(PipelineHarness.overrides(kafka.bootstrapServers(), state, em.baseUrl(),
                completed, failed, changes, dlq));
        o.put("events.console", "true");
        o.put("camel.main.shutdown-timeout", "5");
        return o;
    }

    private static void sleepUntil(long startNanos, long millis) throws InterruptedException {
        long left = millis - (System.nanoTime() - startNanos) / 1_000_000;
        if (left > 0) {
            Thread.sleep(left);
        }
    }


}
