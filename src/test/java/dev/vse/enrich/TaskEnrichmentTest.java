package dev.vse.enrich;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vse.detect.ChangeDetector;
import dev.vse.em.EmRequestException;
import dev.vse.em.FailureKind;
import dev.vse.event.EventType;
import dev.vse.event.SessionEvent;
import dev.vse.event.TaskOutcome;
import dev.vse.model.BackupJobSession;
import dev.vse.model.JobSession;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Which records get task sessions, in which order, and what a failing EM leaves on them. */
class TaskEnrichmentTest {
    private static final Instant T = Instant.parse("2026-12-01T02:00:00Z");
    private final AtomicInteger requests = new AtomicInteger();

    private static JobSession session(String id, String state, String result) {
        BackupJobSession s = new BackupJobSession();
        s.setUid("urn:veeam:BackupJobSession:" + id);
        s.setHref("https://em01:9398/api/backupSessions/" + id + "?format=Entity");
        s.setJobUid("urn:veeam:Job:j" + id);
        s.setJobName("Job " + id);
        s.setCreationTimeUtc(T);
        s.setState(state);
        s.setResult(result);
        s.setEndTimeUtc("Stopped".equals(state) ? T.plusSeconds(60) : null);
        return s;
    }

    private static List<SessionEvent> events(List<JobSession> sessions) {
        List<SessionEvent> all = new ArrayList<>();
        for (JobSession s : sessions) {
            all.addAll(new ChangeDetector(false).detect("em01", "https://em01:9398/api", s, Optional.empty(), null,
                    T.plusSeconds(90)).events());
        }
        return all;
    }

    private TaskEnrichment.Reader tasks(RuntimeException failure) {
        return (em, s) -> {
            requests.incrementAndGet();
            if (failure != null) {
                throw failure;
            }
            return List.of(new TaskOutcome("vm-b", "Success", null, "Completed", "t1", T),
                    new TaskOutcome("vm-c", "Warning", "Low space", "Completed", "t2", T),
                    new TaskOutcome("vm-a", "Failed", "Snapshot timed out", "Completed", "t3", T));
        };
    }

    private static EmRequestException failure(FailureKind kind, int status) {
        return new EmRequestException(kind, "em01", "GET https://em01:9398/api/backupSessions/x/taskSessions", status,
                null, "answered " + status, null);
    }

    @Test
    void failedAndWarningRecordsGetTheirTasksFailedFirst_othersAndRunningSessionsNone() {
        List<JobSession> sessions = List.of(session("1", "Stopped", "Failed"), session("2", "Stopped", "Warning"),
                session("3", "Stopped", "Success"), session("4", "Working", "None"));
        List<SessionEvent> out = new TaskEnrichment(true, tasks(null)).enrich("em01", sessions, events(sessions));

        assertThat(requests).as("one request per failed or warning session").hasValue(2);
        assertThat(out).filteredOn(e -> e.type() == EventType.FAILED).singleElement()
                .satisfies(e -> assertThat(e.tasks()).extracting(TaskOutcome::name).containsExactly("vm-a", "vm-c", "vm-b"));
        assertThat(out).filteredOn(e -> e.type() == EventType.COMPLETED && "Warning".equals(e.result())).singleElement()
                .satisfies(e -> assertThat(e.tasks()).hasSize(3));
        assertThat(out).filteredOn(e -> e.type() == EventType.CHANGED || "Success".equals(e.result()))
                .allSatisfy(e -> assertThat(e.tasks()).isNull());
    }

    @Test
    void anUnavailableEmIsAskedOncePerPage_theRecordsGoOutWithTasksError() {
        List<JobSession> sessions = List.of(session("1", "Stopped", "Failed"), session("2", "Stopped", "Failed"),
                session("3", "Stopped", "Failed"));
        List<SessionEvent> out = new TaskEnrichment(true, tasks(failure(FailureKind.RETRIABLE, 500)))
                .enrich("em01", sessions, events(sessions));

        assertThat(requests).hasValue(1);
        assertThat(out).filteredOn(SessionEvent::wantsTasks).hasSize(3).allSatisfy(e -> {
            assertThat(e.tasks()).isNull();
            assertThat(e.tasksError()).contains("answered 500");
        });
    }

    @Test
    void aPermanentFailureOfOneSessionDoesNotStopTheOthers() {
        List<JobSession> sessions = List.of(session("1", "Stopped", "Failed"), session("2", "Stopped", "Failed"));
        new TaskEnrichment(true, tasks(failure(FailureKind.PERMANENT, 404))).enrich("em01", sessions, events(sessions));
        assertThat(requests).hasValue(2);
    }

    @Test
    void offMeansNoRequestAndTheSameRecords() {
        List<JobSession> sessions = List.of(session("1", "Stopped", "Failed"));
        List<SessionEvent> in = events(sessions);
        assertThat(new TaskEnrichment(false, tasks(null)).enrich("em01", sessions, in)).isSameAs(in);
        assertThat(requests).hasValue(0);
    }
    private final List<List<String>> queries = new ArrayList<>();

    private TaskEnrichment.BatchReader query(RuntimeException failure) {
        return (em, replica, uids) -> {
            queries.add(List.copyOf(uids));
            if (failure != null) {
                throw failure;
            }
            java.util.Map<String, List<TaskOutcome>> m = new java.util.LinkedHashMap<>();
            uids.forEach(u -> m.put(u, List.of(new TaskOutcome("vm-b", "Success", null, "Completed", "t1", T),
                    new TaskOutcome("vm-a", "Failed", "Snapshot timed out", "Completed", "t3", T))));
            return m;
        };
    }

    private static List<JobSession> failed(int n) {
        List<JobSession> l = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            l.add(session("f" + i, "Stopped", i % 2 == 0 ? "Failed" : "Warning"));
        }
        return l;
    }

    @Test
    void aPageOfFiftyFailedSessionsIsReadInChunkedQueries_notSessionBySession() {
        List<JobSession> sessions = failed(50);
        List<SessionEvent> out = new TaskEnrichment(true, query(null), tasks(null)).enrich("em01", sessions, events(sessions));

        assertThat(requests).as("no per-session request").hasValue(0);
        assertThat(queries).extracting(List::size).containsExactly(16, 16, 16, 2);
        assertThat(queries.stream().flatMap(List::stream)).doesNotHaveDuplicates().hasSize(50);
        assertThat(out).filteredOn(SessionEvent::wantsTasks).hasSize(50)
                .allSatisfy(e -> assertThat(e.tasks()).extracting(TaskOutcome::name).containsExactly("vm-a", "vm-b"));
    }

    @Test
    void aRetriableFailureOfAQueryLeavesTheRestOfThePageUnasked() {
        List<JobSession> sessions = failed(40);
        List<SessionEvent> out = new TaskEnrichment(true, query(failure(FailureKind.RETRIABLE, 503)), tasks(null))
                .enrich("em01", sessions, events(sessions));

        assertThat(queries).hasSize(1);
        assertThat(requests).hasValue(0);
        assertThat(out).filteredOn(SessionEvent::wantsTasks).hasSize(40).allSatisfy(e -> {
            assertThat(e.tasks()).isNull();
            assertThat(e.tasksError()).contains("503");
        });
    }

    @Test
    void aRefusedQuery_isReadSessionBySessionForAnHour_thenTriedAgain() {
        java.util.concurrent.atomic.AtomicLong now = new java.util.concurrent.atomic.AtomicLong();
        TaskEnrichment t = new TaskEnrichment(true, query(failure(FailureKind.PERMANENT, 400)), tasks(null), now::get);
        List<JobSession> sessions = failed(20);
        List<SessionEvent> out = t.enrich("em01", sessions, events(sessions));
        assertThat(queries).hasSize(1);
        assertThat(requests).hasValue(20);
        assertThat(out).filteredOn(SessionEvent::wantsTasks).allSatisfy(e -> assertThat(e.tasks()).hasSize(3));

        t.enrich("em01", sessions, events(sessions));
        assertThat(queries).as("not asked again within the hour").hasSize(1);
        assertThat(requests).hasValue(40);

        now.addAndGet(TaskEnrichment.QUERY_REFUSED_FOR.toNanos());
        t.enrich("em01", sessions, events(sessions));
        assertThat(queries).hasSize(2);
    }

    private TaskEnrichment.BatchReader emptyQuery() {
        return (em, replica, uids) -> {
            queries.add(List.copyOf(uids));
            java.util.Map<String, List<TaskOutcome>> m = new java.util.LinkedHashMap<>();
            uids.forEach(u -> m.put(u, List.of()));
            return m;
        };
    }

    @Test
    void aQueryThatAnswersNothingWhileTheSessionsOwnLinkHasTasks_isNotBelieved_andTheSessionsAreReadOneByOne() {
        java.util.concurrent.atomic.AtomicLong now = new java.util.concurrent.atomic.AtomicLong();
        TaskEnrichment t = new TaskEnrichment(true, emptyQuery(), tasks(null), now::get);
        List<JobSession> sessions = failed(20);
        List<SessionEvent> out = t.enrich("em01", sessions, events(sessions));

        assertThat(out).filteredOn(SessionEvent::wantsTasks).hasSize(20)
                .allSatisfy(e -> assertThat(e.tasks()).as(e.sessionUid()).hasSize(3));
        assertThat(queries).as("the first chunk asked by query, the second not any more").hasSize(1);
        assertThat(requests).as("the cross-check, then every session of both chunks").hasValue(1 + 16 + 4);

        t.enrich("em01", sessions, events(sessions));
        assertThat(queries).as("session by session within the hour").hasSize(1);
    }

    @Test
    void anEmptyAnswerConfirmedByTheSessionsOwnLink_isBelieved_andCheckedAtMostOncePerHour() {
        java.util.concurrent.atomic.AtomicLong now = new java.util.concurrent.atomic.AtomicLong();
        TaskEnrichment.Reader noTasks = (em, s) -> {
            requests.incrementAndGet();
            return List.of();
        };
        TaskEnrichment t = new TaskEnrichment(true, emptyQuery(), noTasks, now::get);
        List<JobSession> sessions = failed(40);
        List<SessionEvent> out = t.enrich("em01", sessions, events(sessions));
        t.enrich("em01", sessions, events(sessions));

        assertThat(queries).hasSize(6);
        assertThat(requests).as("one cross-check in the hour").hasValue(1);
        assertThat(out).filteredOn(SessionEvent::wantsTasks).allSatisfy(e -> {
            assertThat(e.tasks()).isEmpty();
            assertThat(e.tasksError()).isNull();
        });
        now.addAndGet(TaskEnrichment.QUERY_REFUSED_FOR.toNanos());
        t.enrich("em01", sessions, events(sessions));
        assertThat(requests).hasValue(2);
    }

    @Test
    void aQueryThatHasAnsweredTasksOnce_isBelievedWhenItAnswersNothing() {
        List<List<String>> asked = queries;
        boolean[] empty = {false};
        TaskEnrichment.BatchReader q = (em, replica, uids) -> empty[0] ? emptyQuery().read(em, replica, uids)
                : query(null).read(em, replica, uids);
        TaskEnrichment t = new TaskEnrichment(true, q, tasks(null));
        List<JobSession> sessions = failed(5);
        t.enrich("em01", sessions, events(sessions));
        empty[0] = true;
        List<SessionEvent> out = t.enrich("em01", sessions, events(sessions));

        assertThat(asked).hasSize(2);
        assertThat(requests).as("no cross-check").hasValue(0);
        assertThat(out).filteredOn(SessionEvent::wantsTasks).allSatisfy(e -> assertThat(e.tasks()).isEmpty());
    }
}
