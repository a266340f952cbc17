package dev.vse.detect;

import static dev.vse.detect.TestSessions.EM;
import static dev.vse.detect.TestSessions.ENDED;
import static dev.vse.detect.TestSessions.SOURCE;
import static dev.vse.detect.TestSessions.running;
import static dev.vse.detect.TestSessions.session;
import static dev.vse.detect.TestSessions.stopped;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vse.event.EventType;
import dev.vse.event.SessionEvent;
import dev.vse.model.BackupJobSession;
import dev.vse.model.EmXml;
import dev.vse.model.JobSession;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ChangeDetectorTest {
    private static final Instant NOW = Instant.parse("2025-08-15T20:05:00Z");
    private static final String GUID = "d46e39e0-1131-4585-91a7-e828ce7eafae";

    private final ChangeDetector detector = new ChangeDetector();

    /** Polling started long before the sessions of these tests: nothing they do is history. */
    private static final Instant EARLY_BASELINE = TestSessions.CREATED.minus(Duration.ofDays(1));

    /** One cycle against a store: detect, then commit as the route does after Kafka's ack. */
    private static Detection observe(ChangeDetector detector, StateStore store, JobSession s, Instant now) {
        return observe(detector, store, s, EARLY_BASELINE, now);
    }

    private static Detection observe(ChangeDetector detector, StateStore store, JobSession s, Instant historyBefore,
                                     Instant now) {
        Detection d = detector.detect(EM, SOURCE, s, store.get(EM, s.getUid()), historyBefore, now);
        if (d.changed()) {
            store.commit(EM, List.of(d.next()));
        }
        return d;
    }

    private static StateStore emptyStore() {
        return new InMemoryStateStore();
    }

    private static List<EventType> types(Detection d) {
        return d.events().stream().map(SessionEvent::type).toList();
    }

    @Test
    void givenRunningSession_whenFirstSeen_thenOneChangedEventWithNullPrevious() {
        Detection d = detector.detect(EM, SOURCE, running(GUID), Optional.empty(), null, NOW);

        assertThat(types(d)).containsExactly(EventType.CHANGED);
        SessionEvent e = d.events().get(0);
        assertThat(e.previousState()).isNull();
        assertThat(e.previousResult()).isNull();
        assertThat(e.endTime()).isNull();
        assertThat(e.state()).isEqualTo("Working");
        assertThat(e.subject()).isEqualTo("urn:veeam:BackupJobSession:" + GUID);
        assertThat(e.source()).isEqualTo(SOURCE);
        assertThat(e.emServer()).isEqualTo(EM);
        assertThat(e.backupServer()).isEqualTo("srv02.tech.local");
        assertThat(e.time()).as("first sight of a running session: its creation").isEqualTo(TestSessions.CREATED);
        assertThat(d.changed()).isTrue();
        assertThat(d.next().terminalPublished()).isFalse();
        assertThat(d.next().lastChanged()).isEqualTo(NOW);
    }

    @Test
    void givenStoppedSuccessSession_whenFirstSeenInLaterCycle_thenChangedThenCompleted() {
        // EM collection lag: a short job is first seen already Stopped; it still counts
        Detection d = detector.detect(EM, SOURCE, stopped(GUID, "Success"), Optional.empty(), null, NOW);

        assertThat(types(d)).containsExactly(EventType.CHANGED, EventType.COMPLETED);
        assertThat(d.events().get(1).time()).isEqualTo(ENDED);
        assertThat(d.next().terminalPublished()).isTrue();
    }

    @Test
    void givenStoppedFailedSession_whenFirstSeen_thenFailedEventOnce() {
        StateStore store = emptyStore();
        JobSession failed = stopped(GUID, "Failed");
        failed.setFailureMessage("Error: not enough space on repository");

        Detection first = observe(detector, store, failed, NOW);
        Detection second = observe(detector, store, failed, NOW.plusSeconds(60));
        Detection third = observe(detector, store, stopped(GUID, "Failed"), NOW.plusSeconds(120));

        assertThat(types(first)).containsExactly(EventType.CHANGED, EventType.FAILED);
        assertThat(first.events().get(1).failureMessage()).isEqualTo("Error: not enough space on repository");
        assertThat(second.events()).isEmpty();
        assertThat(second.changed()).isFalse();
        assertThat(third.events()).isEmpty();
    }

    @Test
    void givenFailedResultInAnyCase_whenDetected_thenFailedEvent() {
        Detection d = detector.detect(EM, SOURCE, stopped(GUID, "FAILED"), Optional.empty(), null, NOW);

        assertThat(types(d)).containsExactly(EventType.CHANGED, EventType.FAILED);
        assertThat(d.events().get(1).result()).as("carried verbatim").isEqualTo("FAILED");
    }

    @Test
    void givenSessionThatEndedBeforeTheBaselineInstant_whenFirstSeen_thenChangedOnlyAndNoTerminalLater() {
        StateStore store = new InMemoryStateStore();
        Instant b = ENDED.plusSeconds(60); // polling started a minute after this session ended
        Detection initial = observe(detector, store, stopped(GUID, "Failed"), b, NOW);
        Detection later = observe(detector, store, stopped(GUID, "Failed"), b, NOW.plusSeconds(300));

        assertThat(types(initial)).containsExactly(EventType.CHANGED);
        assertThat(initial.next().terminalPublished()).as("never fires later").isTrue();
        assertThat(later.events()).isEmpty();
    }

    @Test
    void givenSessionThatEndedAtOrAfterTheBaselineInstant_whenFirstSeenAlreadyStopped_thenTerminalWhateverTheCycle() {
        // the rule is by time: a first cycle that never completed must not turn later sessions into history
        Instant b = ENDED.minusSeconds(1);

        Detection d = detector.detect(EM, SOURCE, stopped(GUID, "Failed"), Optional.empty(), b, NOW);
        Detection exact = detector.detect(EM, SOURCE, stopped("eeee", "Failed"), Optional.empty(), ENDED, NOW);

        assertThat(types(d)).containsExactly(EventType.CHANGED, EventType.FAILED);
        assertThat(types(exact)).as("EndTime == B counts").containsExactly(EventType.CHANGED, EventType.FAILED);
    }

    @Test
    void givenNoHistoryBoundary_whenOldFinishedSessionFirstSeen_thenTerminalEmitted() {
        // INITIAL_LOAD_POLICY=all: the policy gives no boundary
        Detection d = detector.detect(EM, SOURCE, stopped(GUID, "Warning"), Optional.empty(),
                InitialLoadPolicy.ALL.historyBefore(NOW).orElse(null), NOW);

        assertThat(types(d)).containsExactly(EventType.CHANGED, EventType.COMPLETED);
    }

    @Test
    void givenSincePolicyBoundary_whenFirstSeen_thenOnlySessionsEndedWithinItGetTerminal() {
        Instant boundary = InitialLoadPolicy.parse("since:24h").historyBefore(NOW).orElseThrow();
        JobSession recent = stopped("aaaa", "Failed");
        JobSession old = stopped("bbbb", "Failed");
        old.setEndTimeUtc(NOW.minus(Duration.ofDays(3)));

        Detection r = detector.detect(EM, SOURCE, recent, Optional.empty(), boundary, NOW);
        Detection o = detector.detect(EM, SOURCE, old, Optional.empty(), boundary, NOW);

        assertThat(types(r)).containsExactly(EventType.CHANGED, EventType.FAILED);
        assertThat(types(o)).containsExactly(EventType.CHANGED);
        assertThat(o.next().terminalPublished()).isTrue();
    }

    @Test
    void givenStoppedSessionWithoutEndTime_whenFirstSeenUnderBaseline_thenNotHistory() {
        JobSession noEnd = stopped(GUID, "Failed");
        noEnd.setEndTimeUtc(null);

        Detection d = detector.detect(EM, SOURCE, noEnd, Optional.empty(), NOW, NOW);

        assertThat(types(d)).containsExactly(EventType.CHANGED, EventType.FAILED);
    }

    @Test
    void givenOldSession_whenFirstSeenAfterInitialLoad_thenTerminalEmittedWhateverItsAge() {
        JobSession old = stopped(GUID, "Success");
        old.setCreationTimeUtc(NOW.minus(Duration.ofDays(30)));
        old.setEndTimeUtc(NOW.minus(Duration.ofDays(29)));

        Detection d = detector.detect(EM, SOURCE, old, Optional.empty(), null, NOW);

        assertThat(types(d)).containsExactly(EventType.CHANGED, EventType.COMPLETED);
    }

    @Test
    void givenRunningSessionAtInitialLoad_whenItEndsLater_thenCompletedFires() {
        StateStore store = new InMemoryStateStore();
        observe(detector, store, running(GUID), NOW, NOW);

        Detection end = observe(detector, store, stopped(GUID, "Success"), NOW, NOW.plusSeconds(600));

        assertThat(types(end)).containsExactly(EventType.CHANGED, EventType.COMPLETED);
        assertThat(end.events().get(0).previousState()).isEqualTo("Working");
        assertThat(end.events().get(0).previousResult()).isEqualTo("None");
    }

    @Test
    void givenWorkingSession_whenStopsWithWarning_thenChangedThenCompleted() {
        StateStore store = emptyStore();
        observe(detector, store, running(GUID), NOW);

        Detection d = observe(detector, store, stopped(GUID, "Warning"), NOW.plusSeconds(60));

        assertThat(types(d)).containsExactly(EventType.CHANGED, EventType.COMPLETED);
        SessionEvent changed = d.events().get(0);
        assertThat(changed.state()).isEqualTo("Stopped");
        assertThat(changed.result()).isEqualTo("Warning");
        assertThat(changed.endTime()).isEqualTo(ENDED);
        assertThat(changed.time()).as("a stop happens at EndTime").isEqualTo(ENDED);
    }

    @Test
    void givenProgressOnlyChange_whenDetected_thenNoEventButSnapshotAdvances() {
        StateStore store = emptyStore();
        observe(detector, store, session(GUID, "Working", "None", null, 10, false), NOW);

        Detection d = observe(detector, store, session(GUID, "Working", "None", null, 55, false), NOW.plusSeconds(60));

        assertThat(d.events()).isEmpty();
        assertThat(d.changed()).isTrue();
        assertThat(d.next().progress()).isEqualTo(55);
        assertThat(d.next().lastChanged()).as("progress is not a tracked field").isEqualTo(NOW);
    }

    @Test
    void givenProgressChangesEnabled_whenProgressOnlyChange_thenChangedEventsWithDistinctIds() {
        ChangeDetector chatty = new ChangeDetector(true);
        StateStore store = emptyStore();
        observe(chatty, store, session(GUID, "Working", "None", null, 10, false), NOW);

        Detection p55 = observe(chatty, store, session(GUID, "Working", "None", null, 55, false), NOW.plusSeconds(60));
        Detection p90 = observe(chatty, store, session(GUID, "Working", "None", null, 90, false), NOW.plusSeconds(120));

        assertThat(types(p55)).containsExactly(EventType.CHANGED);
        assertThat(types(p90)).containsExactly(EventType.CHANGED);
        assertThat(p55.events().get(0).id()).isNotEqualTo(p90.events().get(0).id());
    }

    @Test
    void givenProgressOnlyChangeOfFinishedSession_whenDetected_thenNeverTerminalAgain() {
        StateStore store = emptyStore();
        observe(detector, store, session(GUID, "Stopped", "Failed", ENDED, 90, false), NOW);

        Detection d = observe(detector, store, session(GUID, "Stopped", "Failed", ENDED, 100, false), NOW.plusSeconds(60));

        assertThat(d.events()).isEmpty();
    }

    @Test
    void givenUnknownStateAndNoneResult_whenDetected_thenCarriedThroughVerbatim() {
        JobSession waiting = session(GUID, "WaitingRepository", "None", null, 0, false);

        Detection d = detector.detect(EM, SOURCE, waiting, Optional.empty(), null, NOW);

        assertThat(types(d)).containsExactly(EventType.CHANGED);
        assertThat(d.events().get(0).state()).isEqualTo("WaitingRepository");
        assertThat(d.events().get(0).result()).isEqualTo("None");
        assertThat(d.next().isRunning()).isTrue();
    }

    @Test
    void givenStoppedWithResultNoneOrUnknownOrAbsent_whenDetected_thenChangedOnly() {
        for (String result : new String[] {"None", "Cancelled", null}) {
            Detection d = detector.detect(EM, SOURCE, stopped(GUID, result), Optional.empty(), null, NOW);

            assertThat(types(d)).as("result %s", result).containsExactly(EventType.CHANGED);
            assertThat(d.next().terminalPublished()).isFalse();
        }
    }

    @Test
    void givenMissingEndTimeResultAndIsRetry_whenDetected_thenNoCrash() {
        JobSession bare = session(GUID, "Starting", null, null, null, null);
        bare.setLinks(null);

        Detection d = detector.detect(EM, SOURCE, bare, Optional.empty(), null, NOW);

        SessionEvent e = d.events().get(0);
        assertThat(e.result()).isNull();
        assertThat(e.isRetry()).isNull();
        assertThat(e.progress()).isNull();
        assertThat(e.backupServer()).isNull();
    }

    @Test
    void givenRetrySession_whenFirstSeen_thenItGetsItsOwnEvents() {
        StateStore store = emptyStore();
        Detection original = observe(detector, store, stopped(GUID, "Failed"), NOW);
        JobSession retry = session("0b5e1c2a-0000-4000-8000-000000000001", "Stopped", "Success", ENDED, 100, true);

        Detection d = observe(detector, store, retry, NOW.plusSeconds(900));

        assertThat(types(original)).containsExactly(EventType.CHANGED, EventType.FAILED);
        assertThat(types(d)).containsExactly(EventType.CHANGED, EventType.COMPLETED);
        assertThat(d.events().get(1).isRetry()).isTrue();
        assertThat(d.events().get(1).id()).isNotEqualTo(original.events().get(1).id());
    }

    @Test
    void givenFailedAlreadyPublished_whenResultCorrected_thenChangedOnly() {
        StateStore store = emptyStore();
        observe(detector, store, stopped(GUID, "Failed"), NOW);

        Detection d = observe(detector, store, stopped(GUID, "Success"), NOW.plusSeconds(60));

        assertThat(types(d)).containsExactly(EventType.CHANGED);
        assertThat(d.events().get(0).previousResult()).isEqualTo("Failed");
        assertThat(d.events().get(0).result()).isEqualTo("Success");
    }

    @Test
    void givenSameChange_whenDetectedInSeparateRuns_thenSameIds() {
        // a crash between publish and commit re-detects the same change; consumers dedupe on ce_id
        Detection run1 = new ChangeDetector().detect(EM, SOURCE, stopped(GUID, "Failed"), Optional.empty(), null, NOW);
        Detection run2 = new ChangeDetector().detect(EM, SOURCE, stopped(GUID, "Failed"), Optional.empty(), null,
                NOW.plusSeconds(3600));

        assertThat(run2.events()).extracting(SessionEvent::id)
                .containsExactlyElementsOf(run1.events().stream().map(SessionEvent::id).toList());
        assertThat(run1.events().get(0).id()).isNotEqualTo(run1.events().get(1).id());
    }

    @Test
    void givenTerminalReachedDifferently_whenDetected_thenTerminalIdDependsOnSessionOnly() {
        StateStore store = emptyStore();
        observe(detector, store, running(GUID), NOW);
        Detection viaTransition = observe(detector, store, stopped(GUID, "Success"), NOW.plusSeconds(60));
        Detection firstSight = detector.detect(EM, SOURCE, stopped(GUID, "Success"), Optional.empty(), null, NOW);

        assertThat(viaTransition.events().get(1).id()).isEqualTo(firstSight.events().get(1).id());
        assertThat(viaTransition.events().get(0).id()).as("different change").isNotEqualTo(firstSight.events().get(0).id());
    }

    @Test
    void givenDifferentChanges_whenDetected_thenDifferentIds() {
        String a = idOfFirstSight(stopped(GUID, "Success"), SOURCE);
        String b = idOfFirstSight(stopped(GUID, "Warning"), SOURCE);
        String c = idOfFirstSight(session(GUID, "Stopped", "Success", ENDED, 100, true), SOURCE);
        String e = idOfFirstSight(stopped("ffff", "Success"), SOURCE);
        String otherEm = detector.detect("em02", SOURCE, stopped(GUID, "Success"), Optional.empty(), null, NOW)
                .events().get(0).id();

        assertThat(List.of(a, b, c, e, otherEm)).doesNotHaveDuplicates();
    }

    @Test
    void givenEmMovedFromIpToHostName_whenDetected_thenSameIds() {
        // ce_id names the EM by EM_ID, never by its URL (DESIGN.md "Records")
        String byIp = idOfFirstSight(stopped(GUID, "Success"), "https://10.0.0.5:9398/api");
        String byName = idOfFirstSight(stopped(GUID, "Success"), "https://em01.corp.example:9398/api");

        assertThat(byName).isEqualTo(byIp);
    }

    @Test
    void givenSessionWithoutUid_whenDetected_thenInvalidSession() {
        JobSession noUid = running(GUID);
        noUid.setUid(null);

        assertThatThrownBy(() -> detector.detect(EM, SOURCE, noUid, Optional.empty(), null, NOW))
                .isInstanceOf(InvalidSessionException.class);
    }

    @Test
    void givenEmSampleEntity_whenFirstSeen_thenCompletedWithContractFields() throws IOException {
        BackupJobSession sample;
        try (InputStream in = getClass().getResourceAsStream("/samples/backupSession-entity.xml")) {
            sample = EmXml.unmarshal(in.readAllBytes(), BackupJobSession.class);
        }

        Detection d = detector.detect(EM, "https://localhost:9398/api", sample, Optional.empty(), null, NOW);

        SessionEvent completed = d.events().get(1);
        assertThat(completed.type()).isEqualTo(EventType.COMPLETED);
        assertThat(completed.sessionUid()).isEqualTo("urn:veeam:BackupJobSession:d46e39e0-1131-4585-91a7-e828ce7eafae");
        assertThat(completed.sessionName()).isEqualTo("Fileserver Backup@2014-10-19 05:22:52");
        assertThat(completed.jobName()).isEqualTo("Fileserver Backup");
        assertThat(completed.backupServer()).isEqualTo("srv02.tech.local");
        assertThat(completed.endTime()).isEqualTo(Instant.parse("2014-10-19T05:40:48Z"));
        assertThat(completed.isRetry()).isFalse();
    }

    private String idOfFirstSight(JobSession s, String source) {
        return detector.detect(EM, source, s, Optional.empty(), null, NOW).events().get(0).id();
    }

    @Test
    void lastChangedIsKeptToTheMicrosecond_soTheStoreKeepsTheSnapshotCompact() {
        Instant clockWithNanos = Instant.parse("2026-12-01T02:00:00.123456789Z");
        Detection d = detector.detect(EM, SOURCE, running(GUID), Optional.empty(), null, clockWithNanos);

        assertThat(d.next().lastChanged()).isEqualTo(Instant.parse("2026-12-01T02:00:00.123456Z"));
        assertThat(CompactSessions.fits(d.next().lastChanged())).isTrue();
        assertThat(CompactSessions.fits(clockWithNanos)).as("what the clock gives would not fit").isFalse();
    }
}
