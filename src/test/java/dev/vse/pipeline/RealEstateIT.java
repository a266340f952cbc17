package dev.vse.pipeline;

import static dev.vse.pipeline.PipelineScenarios.keys;
import static dev.vse.pipeline.PipelineScenarios.session;
import static dev.vse.pipeline.PipelineScenarios.uids;
import static dev.vse.testkit.PipelineHarness.header;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vse.simulator.EmSimulator;
import dev.vse.simulator.SimSession;
import dev.vse.simulator.SimulatorOptions;
import dev.vse.testkit.AllLogs;
import dev.vse.testkit.EmbeddedKafka;
import dev.vse.testkit.PipelineHarness;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ways a real estate made the first version go silent (issue "Never miss a failure in a real estate"), each
 * end to end: the real pipeline, the simulator over HTTP, the in-JVM broker. Every test names the failure mode it
 * guards.
 */
class RealEstateIT {
    private static EmbeddedKafka kafka;

    @TempDir
    Path state;
    private EmSimulator em;
    private PipelineHarness h;

    @BeforeAll
    static void startKafka() {
        kafka = EmbeddedKafka.start();
    }

    @AfterAll
    static void stopKafka() {
        kafka.close();
    }

    @AfterEach
    void stopAll() {
        if (h != null) {
            h.close();
        }
        if (em != null) {
            em.close();
        }
    }

    private void start(SimulatorOptions options) throws Exception {
        em = EmSimulator.start(options.withPort(0).withBindHost("127.0.0.1"));
        h = new PipelineHarness(kafka.bootstrapServers(), state, em.baseUrl());
    }

    private void start() throws Exception {
        start(SimulatorOptions.defaults());
    }

    private void put(SimSession... sessions) {
        for (SimSession s : sessions) {
            em.estate().put(s);
        }
    }

    private boolean watermarked() {
        return h.app().store().watermark("em01", SimSession.BACKUP).isPresent();
    }

    @Test
    void givenFirstCycleWithAnUnreadableSessionAndA503OnPage2_thenLaterShortSessionsStillAlert_andTheBadOneIsParkedAlone()
            throws Exception {
        // guards: the baseline ended only with a first complete cycle, and one bad session parked its whole page
        // and ended the cycle, so sessions first seen already Stopped never alerted
        start();
        Instant now = Instant.now();
        List<SimSession> history = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            history.add(session(SimSession.BACKUP, "History " + i, "Stopped", "Success", now.minus(Duration.ofHours(5)).plusSeconds(i))
                    .setEndTime(now.minus(Duration.ofHours(4)).plusSeconds(i)).setProgress(100));
        }
        history.forEach(this::put);
        SimSession bad = history.get(2);
        em.faults().corruptSessions(List.of(bad.getId()));
        em.faults().passNext(1).failNext(503, 2); // page 1 fine, page 2 fails twice (poll.retries=1)
        h.with("em.page-size", "5").start();

        // the rest of the bad session's page is processed, the bad one parked alone with its own XML
        List<SimSession> page1 = history.subList(0, 5);
        List<SimSession> othersOfPage1 = page1.stream().filter(s -> s != bad).toList();
        h.await(h.changes, rs -> keys(rs).containsAll(othersOfPage1.stream().map(SimSession::uid).toList()));
        ConsumerRecord<String, byte[]> parked = h.await(h.dlq, rs -> !rs.isEmpty()).get(0);
        String body = new String(parked.value(), StandardCharsets.UTF_8);
        assertThat(body).contains(bad.uid()).contains("not-a-date");
        for (SimSession other : history) {
            if (other != bad) {
                assertThat(body).as("only the bad session's own XML").doesNotContain(other.getId());
            }
        }
        assertThat(header(parked, "vse.session.uid")).isEqualTo(bad.uid());
        assertThat(header(parked, "vse.error.kind")).isEqualTo("UNPROCESSABLE_SESSION");
        assertThat(header(parked, "vse.error")).contains("CreationTimeUTC").doesNotContain("\n");

        // the window advances although the bad session stays bad
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(this::watermarked);
        // short jobs, first seen already Stopped after the first (failed) cycle: they alert
        Instant end = Instant.now();
        SimSession shortFailed = session(SimSession.BACKUP, "Short", "Stopped", "Failed", end.minusSeconds(20)).setEndTime(end);
        SimSession shortOk = session(SimSession.BACKUP, "Shorter", "Stopped", "Success", end.minusSeconds(10)).setEndTime(end);
        put(shortFailed, shortOk);
        h.await(h.failed, rs -> keys(rs).contains(shortFailed.uid()));
        h.await(h.completed, rs -> keys(rs).contains(shortOk.uid()));
        assertThat(keys(h.on(h.changes))).containsAll(uids(history.stream().filter(s -> s != bad).toArray(SimSession[]::new)));
        assertThat(keys(h.on(h.completed))).as("history stays history").doesNotContainAnyElementsOf(
                history.stream().map(SimSession::uid).toList());
    }

    @Test
    void givenSessionCollectedTwoHoursLate_whenSweepsRun_thenItsRecordIsPublished() throws Exception {
        // guards: a session EM shows only after the lag margin has passed was lost for good
        start();
        h.with("poll.sweep-interval", "3s").with("initial-load.policy", "since:3h").start();
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(this::watermarked);

        SimSession late = lateSession();
        h.await(h.failed, rs -> keys(rs).contains(late.uid()));
    }

    @Test
    void givenSessionCollectedTwoHoursLate_whenSweepsAreOff_thenItIsNotSeen_theDocumentedLimit() throws Exception {
        // the limit the sweep exists for: without it, the regular window (lag margin 30 min) never returns it
        start();
        h.with("poll.sweep-interval", "0").with("initial-load.policy", "since:3h").start();
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(this::watermarked);

        SimSession late = lateSession();
        Awaitility.await().during(Duration.ofSeconds(5)).atMost(Duration.ofSeconds(10))
                .until(() -> !keys(h.on(h.failed)).contains(late.uid()) && !keys(h.on(h.changes)).contains(late.uid()));
    }

    /** A session that ended two hours ago and becomes visible only now. */
    private SimSession lateSession() {
        Instant now = Instant.now();
        SimSession late = session(SimSession.BACKUP, "Collected late", "Stopped", "Failed", now.minus(Duration.ofMinutes(130)))
                .setEndTime(now.minus(Duration.ofMinutes(120))).setProgress(100);
        put(late);
        return late;
    }

    @Test
    void givenTrackedRunningSessionDeletedFromEm_thenThree404s_thenNoMoreRequestsForIt() throws Exception {
        // guards: a session that answered 404 stayed "running" for ever and warned every cycle
        start();
        SimSession gone = session(SimSession.BACKUP, "Deleted", "Working", "None", Instant.now().minusSeconds(60));
        put(gone);
        h.start();
        h.await(h.changes, rs -> keys(rs).contains(gone.uid()));

        em.estate().remove(gone.getId());
        String path = "/backupsessions/" + gone.getId();
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> h.app().store().get("em01", gone.uid()).isEmpty());
        assertThat(em.requestsTo(path)).isEqualTo(3);
        Awaitility.await().during(Duration.ofSeconds(4)).atMost(Duration.ofSeconds(8)).until(() -> em.requestsTo(path) == 3);
        assertThat(h.app().store().unfinished("em01", SimSession.BACKUP)).isEmpty();
    }

    @Test
    void given1200RunningSessionsOutsideTheWindow_whenTheyEnd_thenEveryOneIsReReadAndPublished() throws Exception {
        // guards: re-reads were capped at 500 a cycle and always picked the same ones
        start();
        Instant created = Instant.now().minusSeconds(120);
        List<SimSession> running = new ArrayList<>();
        for (int i = 0; i < 1200; i++) {
            running.add(session(SimSession.BACKUP, "Hidden", "Working", "None", created.plusMillis(i)));
        }
        running.forEach(this::put);
        h.with("em.session-types", "BackupJobSession").start();
        h.await(h.changes, rs -> rs.size() >= 1200);
        h.stop();

        // the job drops out of the query: only the re-reads by Href can see its sessions end
        h.with("em.job-names.exclude", "Hidden").start();
        Instant end = Instant.now();
        for (SimSession s : running) {
            em.estate().update(s.getId(), x -> x.setState("Stopped").setResult("Success").setEndTime(end).setProgress(100));
        }
        Awaitility.await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1))
                .until(() -> Set.copyOf(keys(h.on(h.completed))).size() == 1200);
        assertThat(h.app().store().unfinished("em01", SimSession.BACKUP)).isEmpty();
        assertThat(keys(h.on(h.completed))).as("one record each").hasSize(1200);
    }

    @Test
    void givenEmClockTenMinutesBehind_whenShortSessionsEnd_thenNoneIsMissed_andTheSkewIsWarnedOnce() throws Exception {
        // guards: EM filters on its own clock; a skew larger than the lag margin lost short sessions in silence,
        // and the baseline instant (our clock) turned sessions that ended after it (EM clock) into history
        Duration behind = Duration.ofMinutes(10);
        start(SimulatorOptions.defaults().withClockOffset(behind.negated()));
        try (AllLogs logs = new AllLogs()) {
            h.with("poll.lag-margin", "1m").start();
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(this::watermarked);
            // two more cycles: their windows start from a watermark on our clock, ahead of EM's by the skew
            for (int i = 0; i < 2; i++) {
                Instant t = Instant.now();
                Awaitility.await().atMost(Duration.ofSeconds(30)).until(() ->
                        h.app().store().watermark("em01", SimSession.BACKUP).map(w -> w.isAfter(t)).orElse(false));
            }

            Instant emNow = Instant.now().minus(behind);
            SimSession a = session(SimSession.BACKUP, "Skewed A", "Stopped", "Failed", emNow.minusSeconds(30)).setEndTime(emNow);
            SimSession b = session(SimSession.BACKUP, "Skewed B", "Stopped", "Success", emNow.minusSeconds(20)).setEndTime(emNow);
            put(a, b);

            h.await(h.failed, rs -> keys(rs).contains(a.uid()));
            h.await(h.completed, rs -> keys(rs).contains(b.uid()));
            assertThat(logs.containing("behind this host")).hasSize(1);
        }
    }
}
