package dev.vse.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vse.model.BackupJobSession;
import dev.vse.model.BackupTaskSession;
import dev.vse.model.EmXml;
import dev.vse.model.QueryResult;
import dev.vse.model.ReplicaJobSession;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ScenarioAndLagTest {
    private static final String FIRST = "d46e39e0-1131-4585-91a7-e828ce7eafae";
    private static final String RETRY = "6d0faaea-9e99-4aec-8135-317cc0415602";
    private static final Instant START = Instant.parse("2025-08-15T06:00:00Z");
    private final ManualClock clock = new ManualClock(START);
    private EmSimulator sim;
    private SimHttp http;

    private void start(Duration lag) throws Exception {
        sim = EmSimulator.start(SimulatorOptions.defaults().withPort(0).withBindHost("127.0.0.1").withClock(clock)
                .withCollectionLag(lag).withTokenIdleTimeout(Duration.ofDays(1))
                .withScenario(Path.of("src/test/resources/scenarios/lifecycle.yaml")));
        http = new SimHttp(sim).logon();
    }

    @AfterEach
    void stop() {
        if (sim != null) {
            sim.close();
        }
    }

    private BackupJobSession session(String id) {
        return EmXml.unmarshal(http.get("/backupSessions/" + id + "?format=Entity").body(), BackupJobSession.class);
    }

    @Test
    void givenScenario_whenClockAdvances_thenStatesFollowTheTimeline() throws Exception {
        start(Duration.ZERO);
        assertThat(session(FIRST).getState()).isEqualTo("Starting");
        assertThat(session(FIRST).getResult()).isEqualTo("None");
        assertThat(http.get("/backupSessions/" + RETRY).statusCode()).isEqualTo(404);
        clock.advance(Duration.ofSeconds(5));
        assertThat(session(FIRST).getState()).isEqualTo("Working");
        assertThat(session(FIRST).getProgress()).isEqualTo(40);
        clock.advance(Duration.ofSeconds(5));
        assertThat(session(FIRST).getState()).isEqualTo("WaitingRepository");
        clock.advance(Duration.ofSeconds(10));
        BackupJobSession failed = session(FIRST);
        assertThat(failed.getState()).isEqualTo("Stopped");
        assertThat(failed.getResult()).isEqualTo("Failed");
        assertThat(failed.getEndTimeUtc()).isEqualTo(START.plusSeconds(20));
        BackupTaskSession task = EmXml.unmarshal(http.get("/backupSessions/" + FIRST + "/taskSessions?format=Entity").body(),
                dev.vse.model.BackupTaskSessions.class).getSessions().get(0);
        assertThat(task.getState()).isEqualTo("Completed");
        assertThat(task.getReason()).contains("out of space");
        clock.advance(Duration.ofSeconds(25));
        BackupJobSession retry = session(RETRY);
        assertThat(retry.getIsRetry()).isTrue();
        assertThat(retry.getResult()).isEqualTo("Warning");
        assertThat(retry.getJobUid()).isEqualTo(failed.getJobUid());
        ReplicaJobSession history = EmXml.unmarshal(http.get("/replicaSessions/0bcf5a1e-866c-4b40-8bc3-ce64753b9a6b?format=Entity").body(),
                ReplicaJobSession.class);
        assertThat(history.getEndTimeUtc()).isEqualTo(START.minus(Duration.ofMinutes(50)));
    }

    @Test
    void givenCollectionLag_whenStateChanges_thenInvisibleUntilNextBoundary() throws Exception {
        start(Duration.ofMinutes(1));
        assertThat(session(FIRST).getState()).isEqualTo("Starting");
        clock.advance(Duration.ofSeconds(45));
        // the session has long stopped and its retry exists, but EM has not collected yet
        assertThat(session(FIRST).getState()).isEqualTo("Starting");
        assertThat(http.get("/backupSessions/" + RETRY).statusCode()).isEqualTo(404);
        clock.advance(Duration.ofSeconds(15));
        // the first observation after the collection shows the final state: intermediate states were skipped
        assertThat(session(FIRST).getResult()).isEqualTo("Failed");
        assertThat(session(RETRY).getResult()).isEqualTo("Warning");

        sim.estate().setResult(RETRY, "Success");
        clock.advance(Duration.ofSeconds(59));
        assertThat(session(RETRY).getResult()).isEqualTo("Warning");
        clock.advance(Duration.ofSeconds(1));
        assertThat(session(RETRY).getResult()).isEqualTo("Success");
    }

    @Test
    void givenQueryWithRunningFilter_whenTimelineMoves_thenQueryResultsFollow() throws Exception {
        start(Duration.ZERO);
        String running = "/query?type=BackupJobSession&format=Entities&filter=" + QueryService.encode("State!=Stopped");
        assertThat(EmXml.unmarshal(http.get(running).body(), QueryResult.class).jobSessions()).hasSize(1);
        clock.advance(Duration.ofSeconds(60));
        assertThat(EmXml.unmarshal(http.get(running).body(), QueryResult.class).jobSessions()).isEmpty();
    }

    @Test
    void givenBadScenario_whenParsing_thenErrorNamesTheProblem() {
        assertThatThrownBy(() -> Scenario.parse("jobs:\n  - name: A\n    colour: red\n", START))
                .hasMessageContaining("unknown key 'colour'");
        assertThatThrownBy(() -> Scenario.parse("jobs:\n  - name: A\n    sessions:\n      - at: soon\n", START))
                .hasMessageContaining("bad 'at' offset");
        assertThatThrownBy(() -> Scenario.parse("jobs: [", START)).hasMessageContaining("not valid YAML");
    }

    @Test
    void givenDemoScenarioAndJson_whenParsing_thenSessionsAreCounted() throws Exception {
        assertThat(Scenario.load(Path.of("src/main/resources/scenarios/demo.yaml"), START).sessionCount()).isEqualTo(7);
        assertThat(Scenario.parse("{\"jobs\":[{\"name\":\"J\",\"sessions\":[{\"at\":\"-1m\",\"state\":\"Stopped\",\"result\":\"Success\"}]}]}", START)
                .sessionCount()).isEqualTo(1);
    }
}
