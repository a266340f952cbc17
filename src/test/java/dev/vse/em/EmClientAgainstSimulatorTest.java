package dev.vse.em;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.vse.em.support.Paging;
import dev.vse.em.support.SelfSignedCert;
import dev.vse.model.BackupJobSession;
import dev.vse.model.JobEntity;
import dev.vse.model.JobSession;
import dev.vse.model.ReplicaJobSession;
import dev.vse.model.ReplicaTaskSession;
import dev.vse.model.TaskSession;
import dev.vse.simulator.EmSimulator;
import dev.vse.simulator.SimJob;
import dev.vse.simulator.SimSession;
import dev.vse.simulator.SimTaskSession;
import dev.vse.simulator.SimulatorOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The EM client against the project's EM simulator over real HTTP(S) (the fake in support/ covers the rest). */
class EmClientAgainstSimulatorTest {
    private static final String PASSWORD = "Sim-Pa55-" + UUID.randomUUID();

    CamelContext camel;
    EmSimulator sim;

    @BeforeEach
    void start() {
        camel = new DefaultCamelContext();
        camel.start();
    }

    @AfterEach
    void stop() {
        if (sim != null) {
            sim.close();
        }
        camel.stop();
    }

    private EmClient client(EmServerConfig.Builder b) {
        return new EmClient(camel, b.credentials("admin", PASSWORD).readTimeout(Duration.ofSeconds(2)).build());
    }

    private EmSimulator simulator(SimulatorOptions o) throws Exception {
        sim = EmSimulator.start(o.withPort(0).withBindHost("127.0.0.1").withCredentials("admin", PASSWORD));
        return sim;
    }

    private static SimSession session(int i) {
        return new SimSession(SimSession.BACKUP, UUID.randomUUID().toString(), UUID.randomUUID().toString(), "Job " + (i % 37),
                "Backup", Instant.parse("2026-01-01T00:00:00Z").plusSeconds(i)).setState("Stopped").setResult("Success")
                .setEndTime(Instant.parse("2026-01-01T00:00:00Z").plusSeconds(i + 60));
    }

    @Test
    void logon_thenRootAndSupportedVersions() throws Exception {
        simulator(SimulatorOptions.defaults());
        try (EmClient c = client(EmServerConfig.builder("em01", sim.baseUrl()))) {
            assertThat(c.apiRoot().getSupportedVersions()).extracting(v -> v.getName()).contains("v1_7");
            c.logon();
            assertThat(c.logonSession().getSessionId()).isNotBlank();
        }
    }

    @Test
    void givenTokensExpired_whenRequesting_thenLogsOnAgainOnce_andNeverSendsTheStaleCookie() throws Exception {
        // the simulator sets the token as a cookie too and lets the cookie win: a client that kept cookies
        // would send the dead one after re-logon and fail for ever
        simulator(SimulatorOptions.defaults());
        sim.estate().put(session(1));
        try (EmClient c = client(EmServerConfig.builder("em01", sim.baseUrl()))) {
            SessionQuery q = SessionQuery.of(SessionQuery.Type.BackupJobSession).withPageSize(10);
            assertThat(Paging.allSessions(c, q)).hasSize(1);
            String first = c.logonSession().getSessionId();
            for (int round = 0; round < 3; round++) {
                sim.expireAllTokens();
                assertThat(Paging.allSessions(c, q)).hasSize(1);
            }
            assertThat(c.logonSession().getSessionId()).isNotEqualTo(first);
        }
    }

    @Test
    void givenShortIdleTimeout_whenIdleLongerThanIt_thenStillWorks() throws Exception {
        simulator(SimulatorOptions.defaults().withTokenIdleTimeout(Duration.ofMillis(300)));
        sim.estate().put(session(1));
        try (EmClient c = client(EmServerConfig.builder("em01", sim.baseUrl()))) {
            SessionQuery q = SessionQuery.of(SessionQuery.Type.BackupJobSession);
            assertThat(Paging.allSessions(c, q)).hasSize(1);
            Thread.sleep(600); // the idle expiry itself is the subject here
            assertThat(Paging.allSessions(c, q)).hasSize(1);
        }
    }

    @Test
    void paging_across1234Sessions_readsEachOnce() throws Exception {
        simulator(SimulatorOptions.defaults());
        for (int i = 0; i < 1234; i++) {
            sim.estate().put(session(i));
        }
        try (EmClient c = client(EmServerConfig.builder("em01", sim.baseUrl()))) {
            long before = sim.requestCount();
            List<JobSession> all = Paging.allSessions(c, SessionQuery.of(SessionQuery.Type.BackupJobSession)
                    .withSortAsc("CreationTime").withPageSize(100));
            Set<String> uids = new HashSet<>();
            all.forEach(s -> uids.add(s.getUid()));
            assertThat(uids).hasSize(1234);
            assertThat(all).extracting(JobSession::getCreationTimeUtc).isSorted();
            assertThat(sim.requestCount() - before).isBetween(13L, 14L); // 13 pages (+ logon)
        }
    }

    @Test
    void failures_areClassified() throws Exception {
        simulator(SimulatorOptions.defaults().withFaults(dev.vse.simulator.FaultOptions.none().withDelay(Duration.ofSeconds(5))));
        sim.estate().put(session(1));
        SessionQuery q = SessionQuery.of(SessionQuery.Type.BackupJobSession);
        try (EmClient c = client(EmServerConfig.builder("em01", sim.baseUrl()))) {
            c.logon();
            sim.faults().failNext(503, 1);
            assertThat(catchThrowableOfType(EmRequestException.class, () -> c.queryPage(q, 1)).kind()).isEqualTo(FailureKind.RETRIABLE);
            sim.faults().failNext(500, 1);
            assertThat(catchThrowableOfType(EmRequestException.class, () -> c.queryPage(q, 1)).kind()).isEqualTo(FailureKind.RETRIABLE);
            sim.faults().delayNext(1);
            assertThat(catchThrowableOfType(EmRequestException.class, () -> c.queryPage(q, 1)).kind()).isEqualTo(FailureKind.RETRIABLE);
            sim.faults().resetNext(2);
            assertThat(catchThrowableOfType(EmRequestException.class, () -> c.queryPage(q, 1)).kind()).isEqualTo(FailureKind.RETRIABLE);
            sim.faults().clear();
            sim.faults().malformedNext(1);
            EmRequestException malformed = catchThrowableOfType(EmRequestException.class, () -> c.queryPage(q, 1));
            assertThat(malformed.kind()).isEqualTo(FailureKind.MALFORMED);
            assertThat(malformed.body()).isNotEmpty();
            EmRequestException missing = catchThrowableOfType(EmRequestException.class,
                    () -> c.getSession(sim.baseUrl() + "/backupSessions/" + UUID.randomUUID() + "?format=Entity"));
            assertThat(missing.kind()).isEqualTo(FailureKind.PERMANENT);
            assertThat(missing.status()).isEqualTo(404);
            assertThat(c.queryPage(q, 1).sessions()).hasSize(1);
        }
        try (EmClient wrong = new EmClient(camel, EmServerConfig.builder("em02", sim.baseUrl())
                .credentials("admin", "not-" + PASSWORD).build())) {
            EmRequestException auth = catchThrowableOfType(EmRequestException.class, wrong::logon);
            assertThat(auth.kind()).isEqualTo(FailureKind.AUTHENTICATION);
            assertThat(auth.getMessage()).contains("em02").doesNotContain(PASSWORD);
        }
    }

    @Test
    void tls_selfSignedSimulator_isRefusedUntilItsCaIsConfigured(@TempDir Path dir) throws Exception {
        SelfSignedCert cert = SelfSignedCert.forHost("localhost");
        simulator(SimulatorOptions.defaults().withTls(cert.keyStore("pw".toCharArray()), "pw".toCharArray()));
        String url = sim.baseUrl().replace("127.0.0.1", "localhost");
        assertThat(url).startsWith("https://");
        try (EmClient untrusting = client(EmServerConfig.builder("em01", url))) {
            EmRequestException e = catchThrowableOfType(EmRequestException.class, untrusting::logon);
            assertThat(e.kind()).isEqualTo(FailureKind.PERMANENT);
            assertThat(e.getMessage()).containsIgnoringCase("CA");
        }
        try (EmClient trusting = client(EmServerConfig.builder("em02", url).caPem(cert.writePem(dir.resolve("ca.pem"))))) {
            trusting.logon();
            assertThat(trusting.logonSession().getSessionId()).isNotBlank();
        }
    }

    @Test
    void givenSimulatorClockTenMinutesBehind_whenRequesting_thenClockSkewAboutMinusTenMinutes() throws Exception {
        simulator(SimulatorOptions.defaults().withClockOffset(Duration.ofMinutes(-10)));
        try (EmClient c = client(EmServerConfig.builder("em01", sim.baseUrl()))) {
            assertThat(c.clockSkew()).isEmpty();

            c.apiRoot();

            assertThat(c.clockSkew()).hasValueSatisfying(skew -> assertThat(skew)
                    .isBetween(Duration.ofMinutes(-10).minusSeconds(3), Duration.ofMinutes(-10).plusSeconds(1)));
        }
    }

    @Test
    void givenSessionsWithJobsAndTasks_whenReadingJobAndTaskSessions_thenRetryOptionsAndTasksByTheServersLinks() throws Exception {
        simulator(SimulatorOptions.defaults());
        String jobId = UUID.randomUUID().toString();
        sim.estate().putJob(new SimJob(jobId, "SQL Nightly", "Backup").setRetry(true, 2, Duration.ofMinutes(5)));
        Instant t0 = Instant.now().minusSeconds(600);
        sim.estate().put(new SimSession(SimSession.BACKUP, UUID.randomUUID().toString(), jobId, "SQL Nightly", "Backup", t0)
                .setState("Stopped").setResult("Failed").setEndTime(t0.plusSeconds(60))
                .addTask(new SimTaskSession(UUID.randomUUID().toString(), "sql01", t0).setState("Completed").setResult("Failed")
                        .setReason("Error: Failed to create VM snapshot."))
                .addTask(new SimTaskSession(UUID.randomUUID().toString(), "sql02", t0).setState("Completed").setResult("Success")));
        sim.estate().put(new SimSession(SimSession.REPLICA, UUID.randomUUID().toString(), UUID.randomUUID().toString(), "DR",
                "Replica", t0).setState("Stopped").setResult("Warning").setEndTime(t0.plusSeconds(60))
                .addTask(new SimTaskSession(UUID.randomUUID().toString(), "app01", t0).setState("Completed").setResult("Warning")
                        .setReason("Warning: Low free space.")));
        try (EmClient c = client(EmServerConfig.builder("em01", sim.baseUrl()))) {
            List<JobSession> sessions = Paging.allSessions(c, SessionQuery.of(SessionQuery.Type.BackupJobSession));
            sessions.addAll(Paging.allSessions(c, SessionQuery.of(SessionQuery.Type.ReplicaJobSession)));
            JobSession backup = sessions.stream().filter(s -> s instanceof BackupJobSession).findFirst().orElseThrow();
            JobSession replica = sessions.stream().filter(s -> s instanceof ReplicaJobSession).findFirst().orElseThrow();

            JobEntity job = c.job(backup.jobHref());
            assertThat(job.getUid()).isEqualTo("urn:veeam:Job:" + jobId);
            assertThat(job.getRetryOptions().getRetryTimes()).isEqualTo(2);
            assertThat(job.getRetryOptions().getRetryTimeout()).isEqualTo(5);
            assertThat(job.getRetryOptions().getRetrySpecified()).isTrue();
            assertThat(c.job(replica.jobHref()).getRetryOptions().getRetryTimes()).as("VBR's default").isEqualTo(3);

            List<? extends TaskSession> tasks = c.taskSessions(backup);
            assertThat(tasks).extracting(TaskSession::getVmDisplayName).containsExactly("sql01", "sql02");
            assertThat(tasks).extracting(TaskSession::getReason).containsExactly("Error: Failed to create VM snapshot.", "");
            assertThat(tasks).extracting(TaskSession::getJobSessionUid).containsOnly(backup.getUid());
            List<? extends TaskSession> replicaTasks = c.taskSessions(replica);
            assertThat(replicaTasks).singleElement().isInstanceOf(ReplicaTaskSession.class)
                    .extracting(TaskSession::getReason).isEqualTo("Warning: Low free space.");
            assertThat(sim.requestsTo("/replicaTaskSessions")).isEqualTo(1);

            long before = sim.requestCount();
            sim.faults().failPaths("taskSessions", 500);
            EmRequestException failed = catchThrowableOfType(EmRequestException.class, () -> c.taskSessions(backup));
            assertThat(failed.status()).isEqualTo(500);
            assertThat(failed.kind()).isEqualTo(FailureKind.RETRIABLE);
            assertThat(sim.requestCount() - before).as("one request, no retry").isEqualTo(1);
            assertThat(Paging.allSessions(c, SessionQuery.of(SessionQuery.Type.BackupJobSession))).hasSize(1);
            sim.faults().clearPathFailures();
            assertThat(c.taskSessions(backup)).hasSize(2);

            EmRequestException missing = catchThrowableOfType(EmRequestException.class,
                    () -> c.job(sim.baseUrl() + "/jobs/" + UUID.randomUUID()));
            assertThat(missing.status()).isEqualTo(404);
            EmRequestException notAJob = catchThrowableOfType(EmRequestException.class, () -> c.job(backup.getHref()));
            assertThat(notAJob.kind()).isEqualTo(FailureKind.MALFORMED);
        }
    }
    /** A page with 50 failed sessions (and 3 failed replica sessions): their task sessions in 4 + 1 query requests. */
    @Test
    void givenFiftyFailedSessions_whenEnriching_thenTaskSessionsComeInChunkedQueries_notOneRequestPerSession() throws Exception {
        simulator(SimulatorOptions.defaults());
        Instant t0 = Instant.now().minusSeconds(3600);
        for (int i = 0; i < 53; i++) {
            String type = i < 50 ? SimSession.BACKUP : SimSession.REPLICA;
            SimSession s = new SimSession(type, UUID.randomUUID().toString(), UUID.randomUUID().toString(), "Job " + i,
                    i < 50 ? "Backup" : "Replica", t0.plusSeconds(i)).setState("Stopped").setResult("Failed")
                    .setEndTime(t0.plusSeconds(i + 60));
            for (int v = 0; v < 3; v++) {
                s.addTask(new SimTaskSession(UUID.randomUUID().toString(), "vm" + i + "-" + v, t0.plusSeconds(i))
                        .setState("Completed").setResult(v == 0 ? "Failed" : "Success").setReason(v == 0 ? "Error: " + i : ""));
            }
            sim.estate().put(s);
        }
        // pages of 10 rows: a chunk of 16 sessions x 3 tasks is 5 pages
        try (EmClient c = client(EmServerConfig.builder("em01", sim.baseUrl()).pageSize(10))) {
            List<JobSession> sessions = Paging.allSessions(c, SessionQuery.of(SessionQuery.Type.BackupJobSession).withPageSize(100));
            sessions.addAll(Paging.allSessions(c, SessionQuery.of(SessionQuery.Type.ReplicaJobSession).withPageSize(100)));
            assertThat(sessions).hasSize(53);
            List<dev.vse.event.SessionEvent> events = new java.util.ArrayList<>();
            for (JobSession s : sessions) {
                events.addAll(new dev.vse.detect.ChangeDetector(false).detect("em01", sim.baseUrl(), s,
                        java.util.Optional.empty(), null, Instant.now()).events());
            }
            java.util.concurrent.atomic.AtomicInteger single = new java.util.concurrent.atomic.AtomicInteger();
            dev.vse.enrich.TaskEnrichment enrichment = new dev.vse.enrich.TaskEnrichment(true,
                    (em, replica, uids) -> dev.vse.enrich.TaskOutcomes.read(c, replica, uids),
                    (em, s) -> {
                        single.incrementAndGet();
                        return dev.vse.enrich.TaskOutcomes.read(c, s);
                    });

            long before = sim.requestCount();
            long queriesBefore = sim.requestsTo("/query");
            List<dev.vse.event.SessionEvent> out = enrichment.enrich("em01", sessions, events);

            // 50 backup sessions = chunks of 16, 16, 16, 2 (48, 48, 48, 6 task rows: 5 + 5 + 5 + 1 pages of 10),
            // 3 replica sessions = 1 chunk (9 rows: 1 page); never one request per session
            assertThat(single).as("no per-session read").hasValue(0);
            assertThat(sim.requestsTo("/query") - queriesBefore).isEqualTo(5 + 5 + 5 + 1 + 1);
            assertThat(sim.requestCount() - before).isEqualTo(17);
            assertThat(out).filteredOn(dev.vse.event.SessionEvent::wantsTasks).hasSize(53).allSatisfy(e -> {
                assertThat(e.tasksError()).isNull();
                assertThat(e.tasks()).hasSize(3);
                assertThat(e.tasks().get(0).status()).isEqualTo("Failed");
                assertThat(e.tasks()).extracting(dev.vse.event.TaskOutcome::name)
                        .allSatisfy(n -> assertThat(n).startsWith("vm" + e.jobName().substring(4) + "-"));
            });

            // EM refuses the task-session query (an older EM): session by session instead, through the Down links
            sim.faults().failPaths("query?type=backuptasksession", 400);
            single.set(0);
            out = enrichment.enrich("em01", sessions, events);
            assertThat(single).hasValue(50);
            assertThat(out).filteredOn(dev.vse.event.SessionEvent::wantsTasks)
                    .allSatisfy(e -> assertThat(e.tasks()).hasSize(3));

            // EM unavailable: one failed request for the whole page, every record without tasks and saying why
            sim.faults().clearPathFailures();
            sim.faults().failPaths("tasksession", 503);
            dev.vse.enrich.TaskEnrichment fresh = new dev.vse.enrich.TaskEnrichment(true,
                    (em, replica, uids) -> dev.vse.enrich.TaskOutcomes.read(c, replica, uids),
                    (em, s) -> dev.vse.enrich.TaskOutcomes.read(c, s));
            before = sim.requestCount();
            out = fresh.enrich("em01", sessions, events);
            assertThat(sim.requestCount() - before).isEqualTo(1);
            assertThat(out).filteredOn(dev.vse.event.SessionEvent::wantsTasks).allSatisfy(e -> {
                assertThat(e.tasks()).isNull();
                assertThat(e.tasksError()).contains("503");
            });
        }
    }
}
