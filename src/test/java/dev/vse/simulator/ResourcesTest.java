package dev.vse.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vse.model.BackupJobSession;
import dev.vse.model.BackupJobSessions;
import dev.vse.model.BackupTaskSession;
import dev.vse.model.BackupTaskSessions;
import dev.vse.model.EmXml;
import dev.vse.model.EntityRef;
import dev.vse.model.EntityReferences;
import dev.vse.model.ReplicaJobSession;
import dev.vse.model.ReplicaJobSessions;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Resource shapes compared with the documentation samples (names, types, link relations). */
class ResourcesTest {
    private static final String ID = "d46e39e0-1131-4585-91a7-e828ce7eafae";
    private static final String TASK = "88322206-a645-4aa3-9228-028ce51e7c0f";
    private static final String REPLICA = "0bcf5a1e-866c-4b40-8bc3-ce64753b9a6b";
    private static final Instant T0 = Instant.parse("2014-10-19T05:22:52Z");
    private final ManualClock clock = new ManualClock(Instant.parse("2014-10-20T00:00:00Z"));
    private EmSimulator sim;
    private SimHttp http;

    @BeforeEach
    void start() throws Exception {
        sim = EmSimulator.start(SimulatorOptions.defaults().withPort(0).withBindHost("127.0.0.1").withClock(clock));
        sim.estate().put(new SimSession(SimSession.BACKUP, ID, "4856ab37-2235-45e8-affe-d515878b01a9", "Fileserver Backup", "Backup", T0)
                .setBackupServerName("srv02.tech.local").setState("Stopped").setResult("Success").setProgress(100)
                .setEndTime(Instant.parse("2014-10-19T05:40:48Z"))
                .addTask(new SimTaskSession(TASK, "AnT_VM2", T0.plusSeconds(5)).setState("Completed").setResult("Success").setTotalSize(12884901888L)));
        sim.estate().put(new SimSession(SimSession.REPLICA, REPLICA, "2c49a44e-1e59-4527-a6bc-6b2f9b579ee1", "Fileserver02 Replication",
                "Replica", T0.plusSeconds(60)).setState("Working").setResult("None").setProgress(40));
        http = new SimHttp(sim).logon();
    }

    @AfterEach
    void stop() {
        sim.close();
    }

    @Test
    void givenBackupSession_whenGettingList_thenReferencesLikeTheSample() {
        EntityReferences refs = EmXml.unmarshal(http.get("/backupSessions").body(), EntityReferences.class);
        assertThat(refs.getRefs()).singleElement().satisfies(r -> {
            assertThat(r.getType()).isEqualTo("BackupJobSessionReference");
            assertThat(r.getHref()).isEqualTo(sim.baseUrl() + "/backupSessions/" + ID);
            assertThat(r.getName()).isEqualTo("Fileserver Backup@2014-10-19 05:22:52");
            assertThat(r.getUid()).isEqualTo("urn:veeam:BackupJobSession:" + ID);
            assertThat(r.getLinks().find("Up", "BackupServerReference").orElseThrow().getName()).isEqualTo("srv02.tech.local");
            assertThat(r.getLinks().find("Alternate", "BackupJobSession").orElseThrow().getHref()).endsWith(ID + "?format=Entity");
            assertThat(r.getLinks().find("Down", "BackupTaskSessionReferenceList").orElseThrow().getHref()).endsWith(ID + "/taskSessions");
        });
        BackupJobSessions entities = EmXml.unmarshal(http.get("/backupSessions?format=Entity").body(), BackupJobSessions.class);
        assertThat(entities.getSessions()).hasSize(1);
    }

    @Test
    void givenBackupSession_whenGettingEntity_thenFieldsLikeTheSample() {
        BackupJobSession s = EmXml.unmarshal(http.get("/backupSessions/" + ID + "?format=Entity").body(), BackupJobSession.class);
        assertThat(s.getType()).isEqualTo("BackupJobSession");
        assertThat(s.getJobUid()).isEqualTo("urn:veeam:Job:4856ab37-2235-45e8-affe-d515878b01a9");
        assertThat(s.getJobName()).isEqualTo("Fileserver Backup");
        assertThat(s.getJobType()).isEqualTo("Backup");
        assertThat(s.getCreationTimeUtc()).isEqualTo(T0);
        assertThat(s.getEndTimeUtc()).isEqualTo(Instant.parse("2014-10-19T05:40:48Z"));
        assertThat(s.getState()).isEqualTo("Stopped");
        assertThat(s.getResult()).isEqualTo("Success");
        assertThat(s.getProgress()).isEqualTo(100);
        assertThat(s.getIsRetry()).isFalse();
        assertThat(s.backupServerName()).isEqualTo("srv02.tech.local");
        assertThat(s.getLinks().find("Stop", null)).isPresent();
        assertThat(s.getLinks().find("Up", "JobReference").orElseThrow().getHref()).isEqualTo(sim.baseUrl() + "/jobs/4856ab37-2235-45e8-affe-d515878b01a9");
        EntityRef ref = EmXml.unmarshal(http.get("/backupSessions/" + ID.toUpperCase()).body(), EntityRef.class);
        assertThat(ref.getType()).isEqualTo("BackupJobSessionReference");
    }

    @Test
    void givenTaskSessions_whenGetting_thenReferencesAndEntities() {
        EntityReferences refs = EmXml.unmarshal(http.get("/backupSessions/" + ID + "/taskSessions").body(), EntityReferences.class);
        assertThat(refs.getRefs()).singleElement().satisfies(r -> {
            assertThat(r.getType()).isEqualTo("BackupTaskSessionReference");
            assertThat(r.getName()).isEqualTo("AnT_VM2@2014-10-19 05:22:57");
            assertThat(r.getLinks().find("Up", "BackupJobSessionReference")).isPresent();
        });
        BackupTaskSessions list = EmXml.unmarshal(http.get("/backupSessions/" + ID + "/taskSessions?format=Entity").body(), BackupTaskSessions.class);
        assertThat(list.getSessions()).hasSize(1);
        BackupTaskSession t = EmXml.unmarshal(http.get("/backupTaskSessions/" + TASK + "?format=Entity").body(), BackupTaskSession.class);
        assertThat(t.getVmDisplayName()).isEqualTo("AnT_VM2");
        assertThat(t.getJobSessionUid()).isEqualTo("urn:veeam:BackupJobSession:" + ID);
        assertThat(t.getTotalSize()).isEqualTo(12884901888L);
        assertThat(t.getReason()).isEmpty();
        assertThat(EmXml.unmarshal(http.get("/backupTaskSessions/" + TASK).body(), EntityRef.class).getType())
                .isEqualTo("BackupTaskSessionReference");
    }

    @Test
    void givenReplicaSession_whenGetting_thenRunningEntityWithoutEndTime() {
        ReplicaJobSession r = EmXml.unmarshal(http.get("/replicaSessions/" + REPLICA + "?format=Entity").body(), ReplicaJobSession.class);
        assertThat(r.getUid()).isEqualTo("urn:veeam:ReplicaJobSession:" + REPLICA);
        assertThat(r.getEndTimeUtc()).isNull();
        assertThat(r.getResult()).isEqualTo("None");
        assertThat(r.getLinks().find("Down", "ReplicaTaskSessionReferenceList")).isPresent();
        assertThat(EmXml.unmarshal(http.get("/replicaSessions?format=Entity").body(), ReplicaJobSessions.class).getSessions()).hasSize(1);
        assertThat(EmXml.unmarshal(http.get("/replicaSessions").body(), EntityReferences.class).getRefs()).hasSize(1);
        assertThat(SimHttp.text(http.get("/replicaSessions/" + REPLICA + "?format=Entity"))).doesNotContain("EndTimeUTC");
    }

    @Test
    void givenUnknownIds_whenGetting_then404Errors() {
        QueryPagingTest.assertError(http.get("/backupSessions/00000000-0000-0000-0000-000000000000"), 404, "not found");
        QueryPagingTest.assertError(http.get("/backupSessions/" + REPLICA), 404, "not found");
        QueryPagingTest.assertError(http.get("/backupTaskSessions/nope"), 404, "not found");
    }

    @Test
    void givenSessionsOlderThan30Days_whenListing_thenOnlyTheQueryServiceShowsThem() {
        clock.advance(java.time.Duration.ofDays(40));
        assertThat(EmXml.unmarshal(http.logon().get("/backupSessions").body(), EntityReferences.class).getRefs()).isEmpty();
        assertThat(http.get("/backupSessions/" + ID).statusCode()).isEqualTo(200);
    }
}
