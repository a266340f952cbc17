package dev.vse.app;

import static dev.vse.testkit.PipelineHarness.header;
import static dev.vse.testkit.PipelineHarness.value;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vse.simulator.EmSimulator;
import dev.vse.simulator.SimSession;
import dev.vse.simulator.SimulatorOptions;
import dev.vse.testkit.EmbeddedKafka;
import dev.vse.testkit.PipelineHarness;
import dev.vse.testkit.TestConsumers;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The operators' tools against a real pipeline: {@code state} while it runs, {@code replay} of a window. */
class OperationsToolsIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static EmbeddedKafka kafka;

    @TempDir
    Path state;
    EmSimulator em;
    PipelineHarness h;

    @BeforeAll
    static void startKafka() {
        kafka = EmbeddedKafka.start();
    }

    @AfterAll
    static void stopKafka() {
        kafka.close();
    }

    @BeforeEach
    void startEm() throws Exception {
        em = EmSimulator.start(SimulatorOptions.defaults().withPort(0).withBindHost("127.0.0.1"));
        h = new PipelineHarness(kafka.bootstrapServers(), state, em.baseUrl());
    }

    private final List<Topics> replays = new ArrayList<>();

    @AfterEach
    void stopAll() {
        replays.forEach(t -> t.consumer.close());
        h.close();
        em.close();
    }

    @Test
    void givenRunningPipeline_whenStateRuns_thenItPrintsTheWatermarks_andThePipelineGoesOn() throws Exception {
        Instant now = Instant.now();
        put(session(SimSession.BACKUP, "Fileserver", "Working", "None", now.minus(Duration.ofMinutes(5))),
                session(SimSession.BACKUP, "Nightly", "Stopped", "Success", now.minus(Duration.ofHours(2)))
                        .setEndTime(now.minus(Duration.ofHours(1))),
                session(SimSession.REPLICA, "DR", "Working", "None", now.minus(Duration.ofMinutes(1))));
        h.start();
        var store = h.app().store();
        Awaitility.await().atMost(Duration.ofSeconds(60)).until(() ->
                store.watermark("em01", SimSession.BACKUP).isPresent() && store.watermark("em01", SimSession.REPLICA).isPresent());
        Instant backupWatermark = store.watermark("em01", SimSession.BACKUP).orElseThrow();

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = StateCommand.run(new String[] {"--json"}, Map.of(), Map.of("state.dir", state.toString()),
                new PrintStream(out), new PrintStream(err), Clock.systemUTC());

        assertThat(code).as("stderr: %s", err).isZero();
        JsonNode em01 = JSON.readTree(out.toByteArray()).get("ems").get(0);
        assertThat(em01.get("emId").asText()).isEqualTo("em01");
        assertThat(Instant.parse(em01.at("/sessionTypes/BackupJobSession/watermark").asText()))
                .as("the watermark of the running pipeline, or a later one").isAfterOrEqualTo(backupWatermark);
        assertThat(em01.at("/sessionTypes/ReplicaJobSession/watermark").isTextual()).isTrue();
        assertThat(em01.at("/sessionTypes/BackupJobSession/baseline").asText())
                .isEqualTo(store.baseline("em01", SimSession.BACKUP).orElseThrow().toString());
        assertThat(em01.get("tracked").asInt()).isEqualTo(3);
        assertThat(em01.get("running").asInt()).isEqualTo(2);
        assertThat(em01.get("stuck")).isEmpty();

        out.reset();
        assertThat(StateCommand.run(new String[] {"--em", "em01"}, Map.of(), Map.of("state.dir", state.toString()),
                new PrintStream(out), new PrintStream(err), Clock.systemUTC())).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("EM em01", "BackupJobSession", "ReplicaJobSession",
                backupWatermark.toString().substring(0, 10));

        // the reader took no lock and changed nothing: the pipeline keeps committing
        Instant later = Instant.now();
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() ->
                store.watermark("em01", SimSession.BACKUP).orElseThrow().isAfter(later));
    }

    @Test
    void givenPublishedTerminalRecords_whenTheWindowIsReplayed_thenSameCeIds_andStateUntouched() throws Exception {
        Instant now = Instant.now();
        SimSession history = session(SimSession.BACKUP, "Archive", "Stopped", "Failed", now.minus(Duration.ofHours(5)))
                .setEndTime(now.minus(Duration.ofHours(4)));
        put(history);
        h.start();
        // both types past their first cycle: a session ended before a type's first cycle is history (never published)
        Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> h.app().store().watermark("em01", SimSession.BACKUP).isPresent()
                && h.app().store().watermark("em01", SimSession.REPLICA).isPresent());

        Instant from = Instant.now().truncatedTo(ChronoUnit.SECONDS).minusSeconds(1);
        Instant end = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        SimSession ok = session(SimSession.BACKUP, "Fileserver", "Stopped", "Success", Instant.now()).setEndTime(end);
        SimSession warned = session(SimSession.BACKUP, "Exchange", "Working", "None", Instant.now());
        SimSession failed = session(SimSession.BACKUP, "Oracle", "Stopped", "Failed", Instant.now()).setEndTime(end);
        SimSession replica = session(SimSession.REPLICA, "DR", "Stopped", "Success", Instant.now()).setEndTime(end);
        SimSession running = session(SimSession.BACKUP, "SQL", "Working", "None", Instant.now());
        put(ok, warned, failed, replica, running);
        h.await(h.changes, rs -> keys(rs).containsAll(uids(warned)));
        em.estate().update(warned.getId(), s -> s.setState("Stopped").setResult("Warning").setEndTime(Instant.now()).setProgress(100));
        h.await(h.completed, rs -> keys(rs).containsAll(uids(ok, warned, replica)));
        h.await(h.failed, rs -> keys(rs).containsAll(uids(failed)));
        Set<String> originalTerminal = ceIds(h.on(h.completed), h.on(h.failed));
        assertThat(originalTerminal).hasSize(4);
        h.stop();
        Map<String, String> stateBefore = contents(state);
        Instant to = Instant.now().plusSeconds(1);

        Topics all = new Topics();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = ReplayCommand.run(new String[] {"--em", "em01", "--from", from.toString(), "--to", to.toString()},
                Map.of(), all.overrides(), new PrintStream(out), new PrintStream(err), Clock.systemUTC());

        assertThat(code).as("stderr: %s", err).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8).trim()).as("one summary line").doesNotContain("\n")
                .contains("5 sessions read", all.completed + "=3", all.failed + "=1", all.changes + "=5");
        List<ConsumerRecord<String, byte[]>> replayed = all.await(9);
        Set<String> replayedTerminal = ceIds(all.on(replayed, all.completed), all.on(replayed, all.failed));
        assertThat(replayedTerminal).as("terminal ce_ids equal the originals").isEqualTo(originalTerminal);
        List<ConsumerRecord<String, byte[]>> changes = all.on(replayed, all.changes);
        assertThat(keys(changes)).as("one first-sight record per session of the window; the history session is outside")
                .containsExactlyInAnyOrderElementsOf(uids(ok, warned, failed, replica, running));
        assertThat(changes).allSatisfy(r -> assertThat(value(r).get("previousState").isNull()).isTrue());
        // the first-sight CHANGED of a session the pipeline also first saw in its final state has the original id
        String okChange = ceIds(all.on(replayed, all.changes).stream().filter(r -> r.key().equals(ok.uid())).toList()).iterator().next();
        assertThat(ceIds(h.on(h.changes))).contains(okChange);
        assertThat(contents(state)).as("the state store is not touched").isEqualTo(stateBefore);

        // only the selected topics
        Topics failedOnly = new Topics();
        assertThat(ReplayCommand.run(new String[] {"--em", "em01", "--from", from.toString(), "--to", to.toString(),
                "--topics", "failed"}, Map.of(), failedOnly.overrides(), new PrintStream(out), new PrintStream(err),
                Clock.systemUTC())).as("stderr: %s", err).isZero();
        List<ConsumerRecord<String, byte[]>> onlyFailed = failedOnly.await(1);
        Awaitility.await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5))
                .until(() -> failedOnly.poll().isEmpty());
        assertThat(onlyFailed).singleElement().satisfies(r -> {
            assertThat(r.topic()).isEqualTo(failedOnly.failed);
            assertThat(header(r, "ce_id")).isIn(originalTerminal);
        });
        assertThat(contents(state)).isEqualTo(stateBefore);
    }

    /** Topics of one replay run, and a consumer of them. */
    private final class Topics {
        final String completed = "r-completed-" + UUID.randomUUID();
        final String failed = "r-failed-" + UUID.randomUUID();
        final String changes = "r-changes-" + UUID.randomUUID();
        final KafkaConsumer<String, byte[]> consumer = TestConsumers.fromEarliest(kafka.bootstrapServers(),
                List.of(completed, failed, changes));
        final List<ConsumerRecord<String, byte[]>> received = new ArrayList<>();

        Topics() {
            replays.add(this);
        }

        Map<String, String> overrides() {
            Map<String, String> o = new HashMap<>(PipelineHarness.overrides(kafka.bootstrapServers(), state, em.baseUrl(),
                    completed, failed, changes, "r-dlq"));
            o.put("camel.management.enabled", "false");
            return o;
        }

        List<ConsumerRecord<String, byte[]>> poll() {
            List<ConsumerRecord<String, byte[]>> batch = new ArrayList<>();
            consumer.poll(Duration.ofMillis(200)).forEach(batch::add);
            received.addAll(batch);
            return batch;
        }

        List<ConsumerRecord<String, byte[]>> await(int count) {
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> {
                poll();
                return received.size() >= count;
            });
            return new ArrayList<>(received);
        }

        List<ConsumerRecord<String, byte[]>> on(List<ConsumerRecord<String, byte[]>> records, String topic) {
            return records.stream().filter(r -> r.topic().equals(topic)).toList();
        }
    }

    @SafeVarargs
    private static Set<String> ceIds(List<ConsumerRecord<String, byte[]>>... lists) {
        return Stream.of(lists).flatMap(List::stream).map(r -> header(r, "ce_id")).collect(Collectors.toSet());
    }

    private static Map<String, String> contents(Path dir) throws IOException {
        Map<String, String> files = new TreeMap<>();
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.filter(Files::isRegularFile).toList()) {
                files.put(dir.relativize(p).toString(), new String(Files.readAllBytes(p), StandardCharsets.ISO_8859_1));
            }
        }
        return files;
    }

    private void put(SimSession... sessions) {
        for (SimSession s : sessions) {
            em.estate().put(s);
        }
    }

    private static SimSession session(String type, String job, String state, String result, Instant created) {
        String jobType = SimSession.REPLICA.equals(type) ? "Replica" : "Backup";
        return new SimSession(type, UUID.randomUUID().toString(), UUID.nameUUIDFromBytes(job.getBytes()).toString(),
                job, jobType, created).setState(state).setResult(result).setProgress("Stopped".equals(state) ? 100 : 30);
    }

    private static Set<String> uids(SimSession... sessions) {
        return Stream.of(sessions).map(SimSession::uid).collect(Collectors.toSet());
    }

    private static List<String> keys(List<ConsumerRecord<String, byte[]>> records) {
        return records.stream().map(ConsumerRecord::key).toList();
    }
}
