package dev.vse.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vse.model.AgentBackupJob;
import dev.vse.model.BackupJobSession;
import dev.vse.model.EmXml;
import dev.vse.model.EntityRef;
import dev.vse.model.EntityReferences;
import dev.vse.model.Job;
import dev.vse.model.JobEntity;
import dev.vse.model.NasJob;
import dev.vse.model.Ref;
import dev.vse.model.ReplicaTaskSession;
import dev.vse.model.ReplicaTaskSessions;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Job resources with their retry policy, replica task session entities, and the path fault. */
class JobResourcesTest {
    private static final String BACKUP_JOB = "11111111-1111-4111-8111-111111111111";
    private static final String AGENT_JOB = "22222222-2222-4222-8222-222222222222";
    private static final String NAS_JOB = "33333333-3333-4333-8333-333333333333";
    private static final String UNREGISTERED_JOB = "44444444-4444-4444-8444-444444444444";
    private static final String REPLICA = "0bcf5a1e-866c-4b40-8bc3-ce64753b9a6b";
    private static final String REPLICA_TASK = "24590151-20cd-4e57-8a2f-8b65869a1879";
    private static final Instant T0 = Instant.parse("2025-10-19T06:46:31Z");
    private EmSimulator sim;
    private SimHttp http;

    @BeforeEach
    void start() throws Exception {
        sim = EmSimulator.start(SimulatorOptions.defaults().withPort(0).withBindHost("127.0.0.1")
                .withClock(new ManualClock(T0.plus(Duration.ofHours(1)))));
        sim.estate().putJob(new SimJob(BACKUP_JOB, "SQL Nightly", "Backup").setRetry(true, 2, Duration.ofSeconds(90)));
        sim.estate().putJob(new SimJob(AGENT_JOB, "Laptops", "AgentBackup").setRetry(false, 3, Duration.ofMinutes(10)));
        sim.estate().putJob(new SimJob(NAS_JOB, "Shares", "NasBackup").setRetry(true, 1, Duration.ofMinutes(5)));
        sim.estate().put(session("a0000000-0000-4000-8000-000000000001", BACKUP_JOB, "SQL Nightly", "Backup"));
        sim.estate().put(session("a0000000-0000-4000-8000-000000000002", AGENT_JOB, "Laptops", "AgentBackup"));
        sim.estate().put(session("a0000000-0000-4000-8000-000000000003", NAS_JOB, "Shares", "NasBackup"));
        sim.estate().put(session("a0000000-0000-4000-8000-000000000004", UNREGISTERED_JOB, "Ad hoc", "BackupCopy"));
        sim.estate().put(new SimSession(SimSession.REPLICA, REPLICA, "2c49a44e-1e59-4527-a6bc-6b2f9b579ee1",
                "Fileserver02 Replication", "Replica", T0).setState("Stopped").setResult("Failed").setEndTime(T0.plusSeconds(900))
                .addTask(new SimTaskSession(REPLICA_TASK, "srv04", T0.plusSeconds(50)).setState("Completed").setResult("Failed")
                        .setReason("Error: Replica disk is locked.").setTotalSize(64424509440L).setEndTime(T0.plusSeconds(890)))
                .addTask(new SimTaskSession("24590151-20cd-4e57-8a2f-8b65869a1870", "srv05", T0.plusSeconds(51))
                        .setState("Completed").setResult("Success").setEndTime(T0.plusSeconds(600))));
        http = new SimHttp(sim).logon();
    }

    @AfterEach
    void stop() {
        sim.close();
    }

    private static SimSession session(String id, String jobId, String jobName, String jobType) {
        return new SimSession(SimSession.BACKUP, id, jobId, jobName, jobType, T0).setState("Stopped").setResult("Failed")
                .setEndTime(T0.plusSeconds(60));
    }

    /** The job entity a session's JobReference link points to, fetched by that Href. */
    private JobEntity jobOf(String sessionId) {
        BackupJobSession s = EmXml.unmarshal(http.get("/backupSessions/" + sessionId + "?format=Entity").body(), BackupJobSession.class);
        String href = s.jobHref();
        assertThat(href).startsWith(sim.baseUrl());
        return EmXml.unmarshal(http.get(href.substring(sim.baseUrl().length()) + "?format=Entity").body(), JobEntity.class);
    }

    @Test
    void givenSessionsOfEachJobKind_whenFollowingTheirJobReference_thenJobEntityWithItsRetryOptions() {
        JobEntity backup = jobOf("a0000000-0000-4000-8000-000000000001");
        assertThat(backup).isInstanceOf(Job.class);
        assertThat(backup.getUid()).isEqualTo("urn:veeam:Job:" + BACKUP_JOB);
        assertThat(backup.getName()).isEqualTo("SQL Nightly");
        assertThat(backup.getJobType()).isEqualTo("Backup");
        assertThat(backup.getHref()).isEqualTo(sim.baseUrl() + "/jobs/" + BACKUP_JOB + "?format=Entity");
        assertThat(backup.getRetryOptions().getRetrySpecified()).isTrue();
        assertThat(backup.getRetryOptions().getRetryTimes()).isEqualTo(2);
        assertThat(backup.getRetryOptions().getRetryTimeout()).as("90 s, in EM's whole minutes").isEqualTo(2);
        assertThat(backup.getJobScheduleOptions().getStandard()).as("nested as in the documented examples").isNotNull();

        JobEntity agent = jobOf("a0000000-0000-4000-8000-000000000002");
        assertThat(agent).isInstanceOf(AgentBackupJob.class);
        assertThat(agent.getHref()).contains("/agents/jobs/" + AGENT_JOB);
        assertThat(agent.getUid()).isEqualTo("urn:veeam:AgentBackupJob:" + AGENT_JOB);
        assertThat(agent.getRetryOptions().getRetrySpecified()).isFalse();

        JobEntity nas = jobOf("a0000000-0000-4000-8000-000000000003");
        assertThat(nas).isInstanceOf(Job.class);
        assertThat(nas.getJobType()).isEqualTo("NasBackup");
        NasJob nasEntity = EmXml.unmarshal(http.get("/nas/jobs/" + NAS_JOB + "?format=Entity").body(), NasJob.class);
        assertThat(nasEntity.getJobType()).isNull();
        assertThat(nasEntity.getUid()).isEqualTo("urn:veeam:NasJob:" + NAS_JOB);
        assertThat(nasEntity.getRetryOptions().getRetryTimeout()).isEqualTo(5);

        JobEntity derived = jobOf("a0000000-0000-4000-8000-000000000004");
        assertThat(derived.getName()).isEqualTo("Ad hoc");
        assertThat(derived.getRetryOptions().getRetryTimes()).as("VBR's defaults").isEqualTo(3);
        assertThat(derived.getRetryOptions().getRetryTimeout()).isEqualTo(10);
        assertThat(derived.getRetryOptions().getRetrySpecified()).isTrue();
    }

    @Test
    void givenJobs_whenListingAndReferencing_thenReferencesPerCollection() {
        EntityReferences jobs = EmXml.unmarshal(http.get("/jobs").body(), EntityReferences.class);
        assertThat(jobs.getRefs()).extracting(Ref::getName).contains("SQL Nightly", "Shares", "Ad hoc", "Fileserver02 Replication")
                .doesNotContain("Laptops");
        assertThat(jobs.getRefs()).allMatch(r -> r.getType().equals("JobReference"));
        assertThat(EmXml.unmarshal(http.get("/agents/jobs").body(), EntityReferences.class).getRefs())
                .singleElement().extracting(Ref::getType).isEqualTo("AgentBackupJobReference");
        assertThat(EmXml.unmarshal(http.get("/nas/jobs").body(), EntityReferences.class).getRefs())
                .singleElement().extracting(Ref::getType).isEqualTo("NasJobReference");
        EntityRef ref = EmXml.unmarshal(http.get("/JOBS/" + BACKUP_JOB.toUpperCase()).body(), EntityRef.class);
        assertThat(ref.getUid()).isEqualTo("urn:veeam:Job:" + BACKUP_JOB);
        assertThat(ref.getLinks().find("Alternate", "Job").orElseThrow().getHref()).endsWith("?format=Entity");
        Job job = EmXml.unmarshal(http.get("/jobs/" + BACKUP_JOB + "?format=Entity").body(), Job.class);
        String sessions = job.getLinks().find("Down", "BackupJobSessionReferenceList").orElseThrow().getHref();
        assertThat(EmXml.unmarshal(http.get(sessions.substring(sim.baseUrl().length())).body(), EntityReferences.class).getRefs())
                .singleElement().extracting(Ref::getUid).isEqualTo("urn:veeam:BackupJobSession:a0000000-0000-4000-8000-000000000001");
    }

    @Test
    void givenUnknownOrMisplacedJobIds_whenGetting_then404Errors() {
        QueryPagingTest.assertError(http.get("/jobs/00000000-0000-0000-0000-000000000000?format=Entity"), 404, "not found");
        QueryPagingTest.assertError(http.get("/jobs/" + AGENT_JOB), 404, "not found");
        QueryPagingTest.assertError(http.get("/agents/jobs/" + BACKUP_JOB), 404, "not found");
        QueryPagingTest.assertError(http.get("/nas/jobs/" + BACKUP_JOB), 404, "not found");
        QueryPagingTest.assertError(http.get("/jobs/" + BACKUP_JOB + "/includes"), 404, "not found");
        QueryPagingTest.assertError(http.get("/agents/backupSessions"), 404, "not found");
    }

    @Test
    void givenReplicaSession_whenGettingItsTaskSessions_thenEntitiesLikeTheDocumentedExample() {
        ReplicaTaskSessions list = EmXml.unmarshal(http.get("/replicaSessions/" + REPLICA + "/replicaTaskSessions?format=Entity").body(),
                ReplicaTaskSessions.class);
        assertThat(list.getSessions()).hasSize(2);
        ReplicaTaskSession t = list.getSessions().get(0);
        assertThat(t.getType()).isEqualTo("ReplicaTaskSession");
        assertThat(t.getUid()).isEqualTo("urn:veeam:ReplicaTaskSession:" + REPLICA_TASK);
        assertThat(t.getName()).isEqualTo("srv04@2025-10-19 06:47:21");
        assertThat(t.getVmDisplayName()).isEqualTo("srv04");
        assertThat(t.getJobSessionUid()).isEqualTo("urn:veeam:ReplicaJobSession:" + REPLICA);
        assertThat(t.getCreationTimeUtc()).isEqualTo(T0.plusSeconds(50));
        assertThat(t.getEndTimeUtc()).isEqualTo(T0.plusSeconds(890));
        assertThat(t.getState()).isEqualTo("Completed");
        assertThat(t.getResult()).isEqualTo("Failed");
        assertThat(t.getReason()).isEqualTo("Error: Replica disk is locked.");
        assertThat(t.getTotalSize()).isEqualTo(64424509440L);
        assertThat(t.getLinks().find("Up", "ReplicaJobSessionReference")).isPresent();
        assertThat(list.getSessions().get(1).getReason()).isEmpty();
        assertThat(SimHttp.text(http.get("/replicaTaskSessions/" + REPLICA_TASK + "?format=Entity"))).contains("<Reason>Error: Replica");

        ReplicaTaskSession single = EmXml.unmarshal(http.get("/replicaTaskSessions/" + REPLICA_TASK + "?format=Entity").body(),
                ReplicaTaskSession.class);
        assertThat(single.getHref()).isEqualTo(sim.baseUrl() + "/replicaTaskSessions/" + REPLICA_TASK + "?format=Entity");
        EntityRef ref = EmXml.unmarshal(http.get("/replicaTaskSessions/" + REPLICA_TASK).body(), EntityRef.class);
        assertThat(ref.getType()).isEqualTo("ReplicaTaskSessionReference");
        EntityReferences refs = EmXml.unmarshal(http.get("/replicaSessions/" + REPLICA + "/replicaTaskSessions").body(),
                EntityReferences.class);
        assertThat(refs.getRefs()).first().extracting(Ref::getHref).isEqualTo(sim.baseUrl() + "/replicaTaskSessions/" + REPLICA_TASK);
        assertThat(EmXml.unmarshal(http.get("/replicaTaskSessions?format=Entity").body(), ReplicaTaskSessions.class).getSessions()).hasSize(2);
        QueryPagingTest.assertError(http.get("/replicaTaskSessions/" + REPLICA), 404, "not found");
        QueryPagingTest.assertError(http.get("/backupTaskSessions/" + REPLICA_TASK), 404, "not found");
    }

    @Test
    void givenPathFailure_whenSetAndClearedAtRuntime_thenOnlyTaskSessionPathsFail() {
        sim.faults().failPaths("taskSessions", 500);

        QueryPagingTest.assertError(http.get("/backupSessions/a0000000-0000-4000-8000-000000000001/taskSessions?format=Entity"), 500, "fault");
        QueryPagingTest.assertError(http.get("/replicaSessions/" + REPLICA + "/REPLICATASKSESSIONS"), 500, "fault");
        QueryPagingTest.assertError(http.get("/backupTaskSessions"), 500, "fault");
        assertThat(http.get("/query?type=BackupTaskSession&format=Entities").statusCode()).isEqualTo(200);
        assertThat(http.get("/backupSessions/a0000000-0000-4000-8000-000000000001").statusCode()).isEqualTo(200);
        assertThat(sim.faults().injected()).containsEntry("path", 3L);

        sim.faults().clearPathFailures();
        assertThat(http.get("/replicaSessions/" + REPLICA + "/replicaTaskSessions").statusCode()).isEqualTo(200);
        sim.faults().failPaths("/jobs/", 503);
        assertThat(http.get("/jobs/" + BACKUP_JOB).statusCode()).isEqualTo(503);
        sim.faults().clear();
        assertThat(http.get("/jobs/" + BACKUP_JOB).statusCode()).isEqualTo(200);
    }
}
