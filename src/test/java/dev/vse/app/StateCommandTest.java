package dev.vse.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vse.detect.FileStateStore;
import dev.vse.detect.IncidentEntry;
import dev.vse.incident.IncidentState;
import dev.vse.incident.RetryPolicy;
import dev.vse.detect.SessionSnapshot;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StateCommandTest {
    static final Instant NOW = Instant.parse("2026-03-02T12:00:00Z");
    static final String BACKUP = "BackupJobSession";
    static final String REPLICA = "ReplicaJobSession";

    @TempDir
    Path dir;
    FileStateStore store;
    final ByteArrayOutputStream out = new ByteArrayOutputStream();
    final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @BeforeEach
    void fill() {
        store = new FileStateStore(dir);
        store.commit("em01", List.of(
                session("em01", "fresh", BACKUP, "Working", NOW.minus(Duration.ofHours(1))),
                session("em01", "stale", BACKUP, "Working", NOW.minus(Duration.ofHours(30))),
                session("em01", "done", BACKUP, "Stopped", NOW.minus(Duration.ofHours(40))),
                session("em01", "replica", REPLICA, "Starting", NOW.minus(Duration.ofHours(5)))));
        store.commitWatermark("em01", BACKUP, NOW.minusSeconds(30));
        store.commitBaseline("em01", BACKUP, NOW.minus(Duration.ofDays(3)));
        store.commitBaseline("em01", REPLICA, NOW.minus(Duration.ofDays(3)));
        store.commitWatermark("em02", BACKUP, NOW.minusSeconds(90));
    }

    @AfterEach
    void close() {
        store.close();  // held open all along: the command must not need the lock
    }

    @Test
    void givenTwoEms_whenStateRuns_thenTextListsWatermarksBaselinesAndCounts() {
        int code = run();

        String text = out.toString(StandardCharsets.UTF_8);
        assertThat(code).as(err.toString()).isZero();
        assertThat(text).contains("EM em01", "EM em02");
        assertThat(text).containsPattern("BackupJobSession +" + NOW.minusSeconds(30) + " \\(30s ago\\) +"
                + NOW.minus(Duration.ofDays(3)) + " +3 +2 +1");
        assertThat(text).containsPattern("ReplicaJobSession +- +" + NOW.minus(Duration.ofDays(3)) + " +1 +1 +0");
        assertThat(text).containsPattern("total +4 +3 +1");
        assertThat(text).contains("urn:veeam:BackupJobSession:stale", "last change " + NOW.minus(Duration.ofHours(30)));
        assertThat(text).doesNotContain("urn:veeam:BackupJobSession:fresh");
    }

    @Test
    void givenOneEmAndJson_whenStateRuns_thenMachineReadable() throws Exception {
        int code = run("--em", "em01", "--json", "--stuck-after", "4h");

        assertThat(code).as(err.toString()).isZero();
        JsonNode doc = new ObjectMapper().readTree(out.toByteArray());
        assertThat(doc.get("ems")).hasSize(1);
        JsonNode em = doc.get("ems").get(0);
        assertThat(em.get("emId").asText()).isEqualTo("em01");
        assertThat(em.at("/sessionTypes/BackupJobSession/watermark").asText()).isEqualTo(NOW.minusSeconds(30).toString());
        assertThat(em.at("/sessionTypes/ReplicaJobSession/watermark").isNull()).isTrue();
        assertThat(em.at("/sessionTypes/ReplicaJobSession/baseline").asText()).isEqualTo(NOW.minus(Duration.ofDays(3)).toString());
        assertThat(em.get("tracked").asInt()).isEqualTo(4);
        assertThat(em.get("running").asInt()).isEqualTo(3);
        assertThat(em.get("stuck")).extracting(n -> n.get("uid").asText())
                .as("4h: the replica (5h) is stuck too, oldest first")
                .containsExactly("urn:veeam:BackupJobSession:stale", "urn:veeam:ReplicaJobSession:replica");
    }

    @Test
    void givenJobIncidents_whenStateRuns_thenOpenAndPendingAreListed() throws Exception {
        IncidentState pending = incident(IncidentState.Phase.PENDING, "urn:veeam:Job:1", "SQL Backup");
        IncidentState open = incident(IncidentState.Phase.OPEN, "urn:veeam:Job:2", "Web Backup");
        store.commit("em01", List.of(), List.of(new IncidentEntry(pending.jobUid(), pending.encode()),
                new IncidentEntry(open.jobUid(), open.encode())));

        assertThat(run("--em", "em01")).as(err.toString()).isZero();
        String text = out.toString(StandardCharsets.UTF_8);
        assertThat(text).containsSubsequence("open    job \"Web Backup\"", "pending job \"SQL Backup\"");
        assertThat(text).contains("fails at " + pending.deadline());

        out.reset();
        assertThat(run("--em", "em01", "--json")).isZero();
        JsonNode em = new ObjectMapper().readTree(out.toByteArray()).get("ems").get(0);
        assertThat(em.get("jobIncidents")).extracting(n -> n.get("phase").asText()).containsExactly("OPEN", "PENDING");
    }

    private static IncidentState incident(IncidentState.Phase phase, String jobUid, String name) {
        Instant end = NOW.minus(Duration.ofMinutes(20));
        return new IncidentState(phase, jobUid, name, "Backup", "vbr01", BACKUP, "urn:s:1", 1, 1, "urn:s:1",
                end.minusSeconds(300), end, 3, Duration.ofMinutes(10), RetryPolicy.FROM_JOB,
                end.plus(Duration.ofMinutes(40)), null, phase == IncidentState.Phase.OPEN ? NOW : null, "boom", null);
    }

    @Test
    void givenMissingStateDir_whenStateRuns_thenExit2WithOneLine() {
        int code = StateCommand.run(new String[0], Map.of(), Map.of("state.dir", dir.resolve("nope").toString()),
                new PrintStream(out), new PrintStream(err), Clock.fixed(NOW, ZoneOffset.UTC));

        assertThat(code).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8).lines()).singleElement().asString().contains("STATE_DIR", "missing");
        assertThat(out.size()).isZero();
    }

    @Test
    void givenStateDirFromEnvironment_whenUnknownEm_thenExit2() {
        int code = StateCommand.run(new String[] {"--em", "em07"}, Map.of("STATE_DIR", dir.toString()), Map.of(),
                new PrintStream(out), new PrintStream(err), Clock.fixed(NOW, ZoneOffset.UTC));

        assertThat(code).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("no state of EM 'em07'");
    }

    @Test
    void givenDamagedSnapshotOfOneEm_whenStateRuns_thenTheOtherIsPrintedAndExit1() throws Exception {
        store.compact("em02");
        store.close();
        Path snapshot = store.directoryOf("em02").resolve("snapshot.jsonl");
        Files.writeString(snapshot, "garbage\n", java.nio.file.StandardOpenOption.APPEND);

        int code = run();

        assertThat(code).isEqualTo(1);
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("EM em01").doesNotContain("EM em02");
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("em02", "damaged");
    }

    @Test
    void givenBadOption_whenStateRuns_thenUsageAndExit2() {
        assertThat(run("--bogus")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("unknown option", "usage:");
    }

    private int run(String... args) {
        return StateCommand.run(args, Map.of(), Map.of("state.dir", dir.toString()), new PrintStream(out),
                new PrintStream(err), Clock.fixed(NOW, ZoneOffset.UTC));
    }

    private static SessionSnapshot session(String em, String id, String type, String state, Instant lastChanged) {
        boolean stopped = state.equals("Stopped");
        return new SessionSnapshot(em, "urn:veeam:" + type + ":" + id, type, "https://em01:9398/api/x/" + id,
                "urn:veeam:Job:1", "Job " + id, "Backup", "srv01", lastChanged.minusSeconds(60),
                stopped ? lastChanged : null, state, stopped ? "Success" : "None", 50, false, stopped, lastChanged);
    }
}
