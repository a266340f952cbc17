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

    @Test
    void givenJobRetryKeysAndVmOutcomes_whenServing_thenJobEntitiesAndTaskReasonsFollowTheScenario() throws Exception {
        Path file = java.nio.file.Files.createTempFile("scenario", ".yaml");
        java.nio.file.Files.writeString(file, String.join("\n",
                "jobs:",
                "  - name: Two Retries",
                "    retry: {times: 2, timeout: 5m}",
                "    sessions:",
                "      - at: -10m",
                "        vms: [vm1, {name: vm2, result: Failed, reason: \"Error: disk\"}, {name: vm3, result: Warning}]",
                "        timeline:",
                "          - { at: -9m, state: Stopped, result: Failed, reason: \"Error: job\" }",
                "  - name: No Retries",
                "    type: AgentBackup",
                "    retry: off",
                "  - name: Defaults",
                ""));
        sim = EmSimulator.start(SimulatorOptions.defaults().withPort(0).withBindHost("127.0.0.1").withClock(clock).withScenario(file));
        http = new SimHttp(sim).logon();

        java.util.Map<String, SimJob> jobs = new java.util.HashMap<>();
        sim.estate().jobs().forEach(j -> jobs.put(j.getName(), j));
        BackupJobSession s = EmXml.unmarshal(http.get("/backupSessions?format=Entity").body(), dev.vse.model.BackupJobSessions.class)
                .getSessions().get(0);
        dev.vse.model.JobEntity two = EmXml.unmarshal(http.get(s.jobHref().substring(sim.baseUrl().length()) + "?format=Entity").body(),
                dev.vse.model.JobEntity.class);
        assertThat(two.getRetryOptions().getRetryTimes()).isEqualTo(2);
        assertThat(two.getRetryOptions().getRetryTimeout()).isEqualTo(5);
        assertThat(two.getRetryOptions().getRetrySpecified()).isTrue();
        dev.vse.model.JobEntity off = EmXml.unmarshal(http.get("/agents/jobs/" + jobs.get("No Retries").getId() + "?format=Entity").body(),
                dev.vse.model.JobEntity.class);
        assertThat(off.getRetryOptions().getRetrySpecified()).isFalse();
        assertThat(jobs.get("Defaults").isRetrySpecified()).isTrue();
        assertThat(jobs.get("Defaults").getRetryTimes()).isEqualTo(3);
        assertThat(jobs.get("Defaults").getRetryTimeout()).isEqualTo(Duration.ofMinutes(10));

        java.util.List<BackupTaskSession> tasks = EmXml.unmarshal(http.get(s.getLinks().find("Down", "BackupTaskSessionReferenceList")
                .orElseThrow().getHref().substring(sim.baseUrl().length()) + "?format=Entity").body(), dev.vse.model.BackupTaskSessions.class).getSessions();
        assertThat(tasks).extracting(BackupTaskSession::getVmDisplayName).containsExactly("vm1", "vm2", "vm3");
        assertThat(tasks).extracting(BackupTaskSession::getResult).containsExactly("Failed", "Failed", "Warning");
        assertThat(tasks).extracting(BackupTaskSession::getReason).containsExactly("Error: job", "Error: disk", "Error: job");
    }

    @Test
    void givenBadRetryOrVm_whenParsing_thenRefusedWithReason() {
        assertThatThrownBy(() -> Scenario.parse("jobs:\n  - name: A\n    retry: sometimes\n", START)).hasMessageContaining("'retry'");
        assertThatThrownBy(() -> Scenario.parse("jobs:\n  - name: A\n    retry: {times: 2, every: 5m}\n", START))
                .hasMessageContaining("unknown key 'every'");
        assertThatThrownBy(() -> Scenario.parse("jobs:\n  - name: A\n    sessions:\n      - vms: [{result: Failed}]\n", START))
                .hasMessageContaining("vm without 'name'");
    }
}
