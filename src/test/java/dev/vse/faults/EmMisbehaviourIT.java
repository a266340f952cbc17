package dev.vse.faults;

import static dev.vse.testkit.PipelineHarness.header;
import dev.vse.testkit.PipelineHarness;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vse.model.EmXml;
import dev.vse.model.MalformedXmlException;
import dev.vse.model.QueryResult;
import dev.vse.simulator.EmSimulator;
import dev.vse.simulator.SimSession;
import dev.vse.simulator.SimulatorOptions;
import dev.vse.testkit.EmbeddedKafka;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.camel.ServiceStatus;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;

/**
 * EM misbehaving, against the real pipeline (PipelineApp + YAML routes + file state store), a real broker
 * (in-JVM KRaft) and real HTTP (EM simulator). Every test checks the three promises of the design:
 * the service keeps running (Camel context and poll route started, later cycles happen), what cannot be
 * parsed is parked in the DLQ with its raw bytes and headers, and nothing is lost: no page is skipped and
 * every state change that happened while EM misbehaved is published, exactly once, when EM answers again.
 */
class EmMisbehaviourIT {
    private static final Map<String, Long> INJECTED = new TreeMap<>();
    private static EmbeddedKafka kafka;

    @TempDir
    Path state;
    EmSimulator em;
    PipelineHarness h;
    String testName;

    @BeforeAll
    static void startKafka() {
        kafka = EmbeddedKafka.start();
    }

    @AfterAll
    static void stopKafka() {
        System.out.println("[EmMisbehaviourIT] faults injected by kind (simulator counters, all tests): " + INJECTED);
        kafka.close();
    }

    @BeforeEach
    void startEm(TestInfo info) throws Exception {
        testName = info.getDisplayName();
        em = EmSimulator.start(SimulatorOptions.defaults().withPort(0).withBindHost("127.0.0.1"));
        h = new PipelineHarness(kafka.bootstrapServers(), state, em.baseUrl())
                .with("em.session-types", "BackupJobSession")
                .with("em.page-size", "5");
    }

    @AfterEach
    void stopAll() {
        Map<String, Long> injected = em.faults().injected();
        System.out.println("[EmMisbehaviourIT] " + testName + ": faults injected " + injected
                + ", EM requests " + em.requestCount());
        synchronized (INJECTED) {
            injected.forEach((k, v) -> INJECTED.merge(k, v, Long::sum));
        }
        h.close();
        em.close();
    }

    // --- transient failures: the cycle stops, the next one starts over from page 1 ------------------

    /** Guards: a burst of 500/503 (longer than the retries) must neither stop the service nor lose the sessions that ended meanwhile. */
    @Test
    void givenBurstOf500And503_whenSessionsEndMeanwhile_thenServiceSurvives_andEveryEndIsPublishedOnceAfterwards() {
        survivesBadPeriod(() -> em.faults().error500Rate(0.5).error503Rate(0.5), Set.of("500", "503"), 6);
    }

    /** Guards: a response slower than the read timeout must time out (not hang the poll thread) and be retried later. */
    @Test
    void givenResponsesSlowerThanReadTimeout_whenSessionsEndMeanwhile_thenTimeouts_thenEveryEndPublishedOnce() {
        h.with("em.read-timeout", "2s");
        em.faults().delay(Duration.ofSeconds(5));
        long started = System.nanoTime();
        survivesBadPeriod(() -> em.faults().delayRate(1.0), Set.of("delay"), 3);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).as("whole scenario").isLessThan(Duration.ofSeconds(60));
    }

    /** Guards: connections closed without a response are transport failures, retried, never fatal. */
    @Test
    void givenConnectionResets_whenSessionsEndMeanwhile_thenServiceSurvives_andEveryEndIsPublishedOnceAfterwards() {
        survivesBadPeriod(() -> em.faults().resetRate(1.0), Set.of("reset"), 4);
    }

    /** Guards: malformed pages go to the DLQ (raw bytes + headers) and do not advance the window. */
    @Test
    void givenMalformedPages_whenSessionsEndMeanwhile_thenParkedInDlq_andEveryEndIsPublishedOnceAfterwards() {
        survivesBadPeriod(() -> em.faults().malformedRate(1.0), Set.of("malformed"), 3);
        assertDlqRecordsAreUnparseableRawBodies(h.on(h.dlq), body -> assertThat(new String(body, StandardCharsets.UTF_8))
                .as("the simulator's mismatched tag").contains("<Broken></Mismatched>"));
    }

    /** Guards: a body cut in the middle (consistent Content-Length) is unreadable, parked, and the page is read again. */
    @Test
    void givenTruncatedPages_whenSessionsEndMeanwhile_thenParkedInDlq_andEveryEndIsPublishedOnceAfterwards() {
        survivesBadPeriod(() -> em.faults().truncatedRate(1.0), Set.of("truncated"), 3);
        assertDlqRecordsAreUnparseableRawBodies(h.on(h.dlq), body -> assertThat(new String(body, StandardCharsets.UTF_8))
                .startsWith("<?xml").doesNotContain("</QueryResult>"));
    }

    // --- a failed page in the middle of a query --------------------------------------------------

    /** Guards: page 2 of 3 unreadable must not be jumped over: its sessions are published once the page reads again. */
    @Test
    void givenPage2Of3Unreadable_whenPolled_thenExactBodyInDlq_andEverySessionOfPage2PublishedOnce() {
        List<SimSession> all = finishedSessions(15); // 3 pages of 5
        byte[] broken = ("<?xml version=\"1.0\" encoding=\"utf-8\"?><QueryResult xmlns=\"http://www.veeam.com/ent/v1.0\">"
                + "<Entities><BackupJobSessions><BackupJobSession UID=\"urn:veeam:BackupJobSession:x\"><State>Stopp")
                .getBytes(StandardCharsets.UTF_8);
        em.faults().passNext(1).bodyNext(broken, 1);
        // queued faults hit the next requests in order: no task-session or job requests between page 1 and page 2
        h.with("initial-load.policy", "all").with("events.enrich-tasks", "false").with("alerts.retry-aware", "false")
                .start();

        List<ConsumerRecord<String, byte[]>> dlq = h.await(h.dlq, rs -> !rs.isEmpty());
        ConsumerRecord<String, byte[]> parked = dlq.get(0);
        assertThat(parked.value()).as("exactly the bytes EM sent").isEqualTo(broken);
        assertThat(header(parked, "vse.em")).isEqualTo("em01");
        assertThat(header(parked, "vse.request")).startsWith("GET ").contains("/query").contains("page=2");
        assertThat(header(parked, "vse.error")).isNotBlank();

        assertEveryEndPublishedExactlyOnce(all);
        assertThat(h.on(h.dlq)).as("parked once, then read fine").hasSize(1);
        assertStillRunning();
    }

    /** Guards: page 2 failing with 503 beyond the retries stops the cycle; the next one restarts at page 1, page 2 is not lost. */
    @Test
    void givenPage2Of3FailsBeyondRetries_whenPolled_thenNextCycleReadsItAgain_andEverySessionPublishedOnce() {
        List<SimSession> all = finishedSessions(15);
        em.faults().passNext(1).failNext(503, 2); // poll.retries=1: two attempts, both fail
        h.with("initial-load.policy", "all").start();
        assertEveryEndPublishedExactlyOnce(all);
        assertThat(em.faults().injected()).containsEntry("503", 2L);
        assertThat(h.on(h.dlq)).isEmpty();
        assertStillRunning();
    }

    // --- authentication -------------------------------------------------------------------------

    /** Guards: a token dying between page k and k+1 must lead to a re-logon and the same page, not a skipped page. */
    @Test
    void givenTokenExpiringEveryTwoPages_whenPagingThroughSmallPages_thenReLogon_andNoSessionMissed() {
        h.with("em.page-size", "10");
        em.faults().expireTokenAfterPages(2);
        List<SimSession> running = runningSessions(35); // 4 pages of 10
        h.start();
        h.await(h.changes, rs -> keys(rs).containsAll(uids(running)));
        endAll(running);
        assertEveryEndPublishedExactlyOnce(running);
        assertThat(em.faults().injected().getOrDefault("tokenExpired", 0L)).isGreaterThanOrEqualTo(2);
        assertThat(h.on(h.dlq)).isEmpty();
        assertStillRunning();
    }

    // --- bodies that are unusual but valid ------------------------------------------------------

    /** Guards: a UTF-8 BOM before every body (logon, errors and data included) must be accepted silently. */
    @Test
    void givenBomBeforeEveryBody_whenPolled_thenEverythingParsed_andNothingParked() {
        em.faults().bom(true);
        List<SimSession> running = runningSessions(12);
        h.start();
        h.await(h.changes, rs -> keys(rs).containsAll(uids(running)));
        endAll(running);
        assertEveryEndPublishedExactlyOnce(running);
        assertThat(em.faults().injected().get("bom")).isGreaterThanOrEqualTo(6);
        assertThat(h.on(h.dlq)).isEmpty();
    }

    /** Guards: a newer EM adding elements/attributes must not break parsing (forward compatibility). */
    @Test
    void givenUnknownElementsAndAttributes_whenPolled_thenIgnored_andEverythingPublished() {
        em.faults().unknownElements(true);
        List<SimSession> running = runningSessions(12);
        h.start();
        h.await(h.changes, rs -> keys(rs).containsAll(uids(running)));
        endAll(running);
        assertEveryEndPublishedExactlyOnce(running);
        assertThat(em.faults().injected().get("unknownElements")).isGreaterThanOrEqualTo(6);
        assertThat(h.on(h.dlq)).isEmpty();
    }

    /** Guards: a very large page (5,000 sessions in one body) is read and published whole, once. */
    @Test
    void givenVeryLargePage_when5000SessionsOnOnePage_thenAllPublishedOnce() {
        h.with("em.page-size", "5000");
        Instant now = Instant.now();
        List<SimSession> many = new ArrayList<>();
        for (int i = 0; i < 5000; i++) {
            many.add(session("Job " + (i % 50), "Working", "None", now.minus(Duration.ofSeconds(5000 - i))));
        }
        put(many);
        long started = System.nanoTime();
        h.start();
        List<ConsumerRecord<String, byte[]>> changes = h.await(h.changes, rs -> rs.size() >= 5000);
        System.out.println("[EmMisbehaviourIT] 5000-session page published in "
                + Duration.ofNanos(System.nanoTime() - started).toMillis() + " ms, body bytes served " + em.bytesServed());
        // one more cycle reads the page again: no duplicate
        long requests = em.requestCount();
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> em.requestCount() >= requests + 2);
        changes = h.on(h.changes);
        assertThat(keys(changes)).hasSize(5000).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(uids(many));
        assertThat(h.on(h.dlq)).isEmpty();
        assertStillRunning();
    }

    // --- the scenario and its assertions --------------------------------------------------------

    /**
     * 12 running sessions (3 pages) are baselined; then EM misbehaves, and meanwhile every session ends. While
     * faults are injected the service must stay up and keep polling; once EM answers again every end must be
     * published exactly once.
     */
    private void survivesBadPeriod(Runnable inject, Set<String> kinds, long minFaults) {
        List<SimSession> running = runningSessions(12);
        h.start();
        h.await(h.changes, rs -> keys(rs).containsAll(uids(running)));

        inject.run();
        endAll(running);
        Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .until(() -> injected(kinds) >= minFaults);
        assertStillRunning();
        assertThat(h.on(h.completed)).as("nothing can be read while every data request fails").isEmpty();
        assertThat(h.on(h.failed)).isEmpty();

        em.faults().clear();
        assertEveryEndPublishedExactlyOnce(running);
        assertStillRunning();
    }

    private long injected(Set<String> kinds) {
        return em.faults().injected().entrySet().stream().filter(e -> kinds.contains(e.getKey()))
                .mapToLong(Map.Entry::getValue).sum();
    }

    /** Success sessions on completed, Failed ones on failed, each exactly once, also after two more cycles. */
    private void assertEveryEndPublishedExactlyOnce(List<SimSession> sessions) {
        Set<String> ok = sessions.stream().filter(s -> !"Failed".equals(s.getResult())).map(SimSession::uid).collect(Collectors.toSet());
        Set<String> ko = sessions.stream().filter(s -> "Failed".equals(s.getResult())).map(SimSession::uid).collect(Collectors.toSet());
        h.await(h.completed, rs -> keys(rs).containsAll(ok));
        h.await(h.failed, rs -> keys(rs).containsAll(ko));
        long requests = em.requestCount();
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> em.requestCount() >= requests + 6); // >= 2 cycles
        assertThat(keys(h.on(h.completed))).as("completed").doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(ok);
        assertThat(keys(h.on(h.failed))).as("failed").doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(ko);
    }

    private void assertStillRunning() {
        assertThat(h.app().context().getStatus()).isEqualTo(ServiceStatus.Started);
        assertThat(h.app().context().getRouteController().getRouteStatus("poll-em01")).isEqualTo(ServiceStatus.Started);
        long requests = em.requestCount();
        Awaitility.await().atMost(Duration.ofSeconds(30)).alias("later cycles still happen")
                .until(() -> em.requestCount() > requests);
    }

    private static void assertDlqRecordsAreUnparseableRawBodies(List<ConsumerRecord<String, byte[]>> dlq,
            java.util.function.Consumer<byte[]> bodyCheck) {
        assertThat(dlq).isNotEmpty().allSatisfy(r -> {
            assertThat(header(r, "vse.em")).isEqualTo("em01");
            // a query page parked whole, or a tracked running session's re-read parked alone
            assertThat(header(r, "vse.request")).startsWith("GET ").containsAnyOf("/query", "/backupSessions/", "/replicaSessions/");
            assertThat(header(r, "vse.error")).isNotBlank();
            assertThat(r.value()).isNotEmpty();
            assertThatThrownBy(() -> EmXml.unmarshal(r.value(), QueryResult.class)).isInstanceOf(MalformedXmlException.class);
            bodyCheck.accept(r.value());
        });
    }

    private List<SimSession> runningSessions(int n) {
        Instant now = Instant.now();
        List<SimSession> list = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            list.add(session("Job " + i, "Working", "None", now.minus(Duration.ofMinutes(n - i))));
        }
        put(list);
        return list;
    }

    private List<SimSession> finishedSessions(int n) {
        Instant now = Instant.now();
        List<SimSession> list = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String result = i % 3 == 0 ? "Failed" : i % 3 == 1 ? "Warning" : "Success";
            list.add(session("Job " + i, "Stopped", result, now.minus(Duration.ofMinutes(60 - i)))
                    .setEndTime(now.minus(Duration.ofMinutes(30 - i))).setProgress(100));
        }
        put(list);
        return list;
    }

    /** Ends every session: every third Failed, the others Success. Updates the given objects too (for the assertions). */
    private void endAll(List<SimSession> sessions) {
        Instant end = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        for (int i = 0; i < sessions.size(); i++) {
            String result = i % 3 == 0 ? "Failed" : "Success";
            SimSession s = sessions.get(i);
            s.setState("Stopped").setResult(result).setEndTime(end).setProgress(100);
            em.estate().update(s.getId(), x -> x.setState("Stopped").setResult(result).setEndTime(end).setProgress(100));
        }
    }

    static SimSession session(String job, String state, String result, Instant created) {
        return new SimSession(SimSession.BACKUP, UUID.randomUUID().toString(),
                UUID.nameUUIDFromBytes(job.getBytes(StandardCharsets.UTF_8)).toString(), job, "Backup", created)
                .setState(state).setResult(result);
    }

    void put(List<SimSession> sessions) {
        sessions.forEach(s -> em.estate().put(s));
    }

    static Set<String> uids(Collection<SimSession> sessions) {
        return sessions.stream().map(SimSession::uid).collect(Collectors.toSet());
    }

    static List<String> keys(Collection<ConsumerRecord<String, byte[]>> records) {
        return records.stream().map(ConsumerRecord::key).toList();
    }
}
