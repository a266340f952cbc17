package dev.vse.incident;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vse.detect.ChangeDetector;
import dev.vse.detect.Detection;
import dev.vse.detect.IncidentEntry;
import dev.vse.detect.InMemoryStateStore;
import dev.vse.event.EventType;
import dev.vse.event.JobAlert;
import dev.vse.event.SessionEvent;
import dev.vse.event.TaskOutcome;
import dev.vse.model.BackupJobSession;
import dev.vse.model.JobSession;
import dev.vse.model.Link;
import dev.vse.model.Links;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Retry-aware job incidents over sessions as EM returns them, through the real change detector: what opens an
 * incident, what a retry repairs, deadlines, resolution, and reading a page again.
 */
class JobIncidentsTest {
    private static final String EM = "em01";
    private static final String SOURCE = "https://em01:9398/api";
    private static final String JOB = "urn:veeam:Job:4856ab37-2235-45e8-affe-d515878b01a9";
    private static final Duration MARGIN = Duration.ofMinutes(30);
    private static final Instant T0 = Instant.parse("2026-11-30T22:00:00Z");

    /** A pipeline in miniature: detector, committed snapshots and incident states, one EM. */
    private static final class Estate {
        final InMemoryStateStore store = new InMemoryStateStore();
        final ChangeDetector detector = new ChangeDetector(false);
        final AtomicInteger policyReads = new AtomicInteger();
        RetryPolicy policy;
        boolean policyFails;
        final JobIncidents incidents;
        final List<JobAlert> published = new ArrayList<>();

        Estate(RetryPolicy policy, boolean retryAware) {
            this.policy = policy;
            RetryPolicies policies = new RetryPolicies(retryAware, (em, s) -> {
                policyReads.incrementAndGet();
                if (policyFails) {
                    throw new IllegalStateException("EM answered 500");
                }
                return this.policy;
            }, Duration.ofHours(6), Clock.fixed(T0, ZoneOffset.UTC));
            incidents = new JobIncidents(policies, MARGIN);
        }

        /** Detects, assesses and commits one page, as the page route does; returns the outcome. */
        JobIncidents.Outcome page(Instant now, JobSession... sessions) {
            JobIncidents.Outcome o = assess(now, sessions);
            commit(o);
            return o;
        }

        /** Detection and assessment only: nothing committed (a crash before the commit). */
        JobIncidents.Outcome assess(Instant now, JobSession... sessions) {
            List<SessionEvent> events = new ArrayList<>();
            List<dev.vse.detect.SessionSnapshot> next = new ArrayList<>();
            for (JobSession s : sessions) {
                Detection d = detector.detect(EM, SOURCE, s, store.get(EM, s.getUid()), null, now);
                events.addAll(d.events().stream().map(e -> e.wantsTasks() ? e.withTasks(tasksOf(s), null) : e).toList());
                next.add(d.next());
            }
            pendingSnapshots = next;
            return incidents.assess(EM, SOURCE, List.of(sessions), events, store.incidents(EM), now);
        }

        private List<dev.vse.detect.SessionSnapshot> pendingSnapshots = List.of();

        void commit(JobIncidents.Outcome o) {
            store.commit(EM, pendingSnapshots, o.changes());
            published.addAll(o.alerts());
        }

        JobIncidents.Outcome due(Instant now) {
            JobIncidents.Outcome o = incidents.due(EM, SOURCE, "BackupJobSession", store.incidents(EM), now,
                    uid -> store.get(EM, uid).isPresent());
            store.commit(EM, List.of(), o.changes());
            published.addAll(o.alerts());
            return o;
        }

        List<JobAlert> alerts(JobAlert.Status status) {
            return published.stream().filter(a -> a.status() == status).toList();
        }
    }

    private static List<TaskOutcome> tasksOf(JobSession s) {
        if ("Failed".equals(s.getResult())) {
            return List.of(new TaskOutcome("fs01", "Failed", "Error: Repository is out of space.", "Completed",
                    "urn:veeam:BackupTaskSession:1", s.getEndTimeUtc()),
                    new TaskOutcome("fs02", "Success", null, "Completed", "urn:veeam:BackupTaskSession:2", s.getEndTimeUtc()));
        }
        return List.of();
    }

    private static RetryPolicy retries(int n) {
        return new RetryPolicy(n, Duration.ofMinutes(10), RetryPolicy.FROM_JOB);
    }

    private static int n;

    /** A session of the job, created at {@code created}; ended after 5 minutes when {@code result} is not null. */
    private static JobSession run(Instant created, String result, Boolean isRetry) {
        String guid = String.format("00000000-0000-0000-0000-%012d", ++n);
        BackupJobSession s = new BackupJobSession();
        s.setUid("urn:veeam:BackupJobSession:" + guid);
        s.setHref(SOURCE + "/backupSessions/" + guid + "?format=Entity");
        s.setName("Fileserver Backup@" + created);
        s.setJobUid(JOB);
        s.setJobName("Fileserver Backup");
        s.setJobType("Backup");
        s.setCreationTimeUtc(created);
        s.setState(result == null ? "Working" : "Stopped");
        s.setResult(result == null ? "None" : result);
        s.setEndTimeUtc(result == null ? null : created.plus(Duration.ofMinutes(5)));
        s.setIsRetry(isRetry);
        s.setLinks(new Links(List.of(new Link("Up", "BackupServerReference", SOURCE + "/backupServers/1", "vbr01"))));
        return s;
    }

    private static JobSession ended(JobSession running, String result) {
        JobSession s = run(running.getCreationTimeUtc(), result, running.getIsRetry());
        s.setUid(running.getUid());
        s.setHref(running.getHref());
        return s;
    }

    private static SessionEvent failedRecord(JobIncidents.Outcome o) {
        return o.events().stream().filter(e -> e.type() == EventType.FAILED).findFirst().orElseThrow();
    }

    @Test
    void aJobWithoutRetriesFailsAtOnceAndItsNextGoodRunResolvesTheIncident() {
        Estate estate = new Estate(retries(0), true);
        JobSession failed = run(T0, "Failed", false);
        JobIncidents.Outcome o = estate.page(T0.plus(Duration.ofMinutes(6)), failed);

        assertThat(estate.alerts(JobAlert.Status.FAILED)).hasSize(1);
        JobAlert alert = estate.published.get(0);
        assertThat(alert.incidentKey()).isEqualTo("veeam:em01:" + JOB);
        assertThat(alert.sessionUid()).isEqualTo(failed.getUid());
        assertThat(alert.firstFailedSessionUid()).isEqualTo(failed.getUid());
        assertThat(alert.attempts()).isEqualTo(1);
        assertThat(alert.retriesAllowed()).isZero();
        assertThat(alert.failedAt()).isEqualTo(failed.getEndTimeUtc());
        assertThat(alert.resolvedAt()).isNull();
        assertThat(alert.backupServer()).isEqualTo("vbr01");
        assertThat(alert.failureMessage()).isEqualTo("Error: Repository is out of space.");
        assertThat(alert.tasks()).extracting(TaskOutcome::name).containsExactly("fs01");
        assertThat(failedRecord(o).retryPending()).isFalse();
        assertThat(failedRecord(o).retriesLeft()).isZero();

        // another failure while the incident is open: no second alert
        estate.page(T0.plus(Duration.ofHours(1)), run(T0.plus(Duration.ofMinutes(55)), "Failed", false));
        assertThat(estate.alerts(JobAlert.Status.FAILED)).hasSize(1);

        JobSession good = run(T0.plus(Duration.ofHours(2)), "Success", false);
        estate.page(T0.plus(Duration.ofHours(3)), good);
        assertThat(estate.alerts(JobAlert.Status.RESOLVED)).singleElement().satisfies(r -> {
            assertThat(r.incidentKey()).isEqualTo(alert.incidentKey());
            assertThat(r.firstFailedSessionUid()).isEqualTo(failed.getUid());
            assertThat(r.sessionUid()).isEqualTo(good.getUid());
            assertThat(r.attempts()).isEqualTo(2);
            assertThat(r.resolvedAt()).isEqualTo(good.getEndTimeUtc());
            assertThat(r.id()).isNotEqualTo(alert.id());
        });
        assertThat(estate.store.incidents(EM)).isEmpty();
    }

    @Test
    void aFailureThatItsRetryRepairsRaisesNoJobAlertEvenWithoutTheIsRetryFlag() {
        Estate estate = new Estate(retries(2), true);
        JobSession failed = run(T0, "Failed", false);
        JobIncidents.Outcome o = estate.page(T0.plus(Duration.ofMinutes(6)), failed);
        assertThat(failedRecord(o).retryPending()).isTrue();
        assertThat(failedRecord(o).retriesLeft()).isEqualTo(2);
        assertThat(estate.published).isEmpty();

        // the retry runs 10 minutes after the failure ended; EM did not set IsRetry on it
        JobSession retry = run(T0.plus(Duration.ofMinutes(15)), null, false);
        estate.page(T0.plus(Duration.ofMinutes(16)), retry);
        assertThat(estate.due(T0.plus(Duration.ofHours(2))).alerts()).as("a running retry holds the deadline").isEmpty();
        estate.page(T0.plus(Duration.ofHours(2)), ended(retry, "Success"));

        assertThat(estate.published).isEmpty();
        assertThat(estate.store.incidents(EM)).isEmpty();
        assertThat(estate.due(T0.plus(Duration.ofHours(3))).alerts()).isEmpty();
    }

    @Test
    void retriesUsedUpGiveExactlyOneFailureAfterTheLastAttempt() {
        Estate estate = new Estate(retries(2), true);
        JobSession first = run(T0, "Failed", false);
        estate.page(T0.plus(Duration.ofMinutes(6)), first);
        JobIncidents.Outcome second = estate.page(T0.plus(Duration.ofMinutes(21)),
                run(T0.plus(Duration.ofMinutes(15)), "Failed", true));
        assertThat(failedRecord(second).retriesLeft()).isEqualTo(1);
        assertThat(failedRecord(second).retryPending()).isTrue();
        assertThat(estate.published).isEmpty();

        JobSession last = run(T0.plus(Duration.ofMinutes(30)), "Failed", true);
        JobIncidents.Outcome third = estate.page(T0.plus(Duration.ofMinutes(36)), last);
        assertThat(failedRecord(third).retryPending()).isFalse();
        assertThat(estate.published).singleElement().satisfies(a -> {
            assertThat(a.status()).isEqualTo(JobAlert.Status.FAILED);
            assertThat(a.attempts()).isEqualTo(3);
            assertThat(a.sessionUid()).isEqualTo(last.getUid());
            assertThat(a.firstFailedSessionUid()).isEqualTo(first.getUid());
            assertThat(a.retriesAllowed()).isEqualTo(2);
        });
        assertThat(estate.due(T0.plus(Duration.ofDays(1))).alerts()).isEmpty();
        assertThat(estate.policyReads).as("the job's options are read once, then cached").hasValue(1);
    }

    @Test
    void noRetryStartedInTimeFailsTheJobAtRetryTimeoutPlusTheLagMargin() {
        Estate estate = new Estate(retries(3), true);
        JobSession failed = run(T0, "Failed", false);
        estate.page(T0.plus(Duration.ofMinutes(6)), failed);
        Instant deadline = failed.getEndTimeUtc().plus(Duration.ofMinutes(10)).plus(MARGIN);

        assertThat(estate.due(deadline.minusSeconds(1)).alerts()).isEmpty();
        assertThat(estate.due(deadline).alerts()).singleElement().satisfies(a -> {
            assertThat(a.status()).isEqualTo(JobAlert.Status.FAILED);
            assertThat(a.attempts()).isEqualTo(1);
            assertThat(a.detectedAt()).isEqualTo(deadline);
        });
        assertThat(estate.due(deadline.plusSeconds(60)).alerts()).as("once").isEmpty();
    }

    @Test
    void aRetryThatStartsAfterTheDeadlineIsANewRunNotARepair() {
        Estate estate = new Estate(retries(1), true);
        estate.page(T0.plus(Duration.ofMinutes(6)), run(T0, "Failed", false));
        // this service was down over the deadline; the next run (a day later) succeeds
        estate.page(T0.plus(Duration.ofDays(1)), run(T0.plus(Duration.ofHours(23)), "Success", false));
        assertThat(estate.published).extracting(JobAlert::status)
                .containsExactly(JobAlert.Status.FAILED, JobAlert.Status.RESOLVED);
    }

    @Test
    void aPageReadAgainBeforeItsCommitGivesTheSameAlertsAndAfterItNone() {
        Estate estate = new Estate(retries(0), true);
        JobSession failed = run(T0, "Failed", false);
        JobIncidents.Outcome lost = estate.assess(T0.plus(Duration.ofMinutes(6)), failed);  // crash: never committed
        JobIncidents.Outcome again = estate.page(T0.plus(Duration.ofMinutes(7)), failed);
        assertThat(again.alerts()).extracting(JobAlert::id).containsExactlyElementsOf(
                lost.alerts().stream().map(JobAlert::id).toList());

        // the incident committed but the snapshots not (a torn append): the failure counts once
        Map<String, String> committed = new HashMap<>(estate.store.incidents(EM));
        JobIncidents.Outcome replay = estate.incidents.assess(EM, SOURCE, List.of(failed),
                List.of(new ChangeDetector(false).detect(EM, SOURCE, failed, java.util.Optional.empty(), null,
                        T0.plus(Duration.ofMinutes(8))).events().toArray(new SessionEvent[0])), committed,
                T0.plus(Duration.ofMinutes(8)));
        assertThat(replay.alerts()).isEmpty();
        assertThat(estate.alerts(JobAlert.Status.FAILED)).hasSize(1);
    }

    @Test
    void notRetryAwareEveryFailedSessionOpensAnIncidentAtOnce() {
        Estate estate = new Estate(retries(3), false);
        estate.page(T0.plus(Duration.ofMinutes(6)), run(T0, "Failed", false));
        assertThat(estate.alerts(JobAlert.Status.FAILED)).hasSize(1);
        assertThat(estate.policyReads).as("no EM request for a policy that is not used").hasValue(0);
    }

    @Test
    void whenTheJobCannotBeReadVeeamsDefaultsAreAssumed() {
        Estate estate = new Estate(retries(0), true);
        estate.policyFails = true;
        JobIncidents.Outcome o = estate.page(T0.plus(Duration.ofMinutes(6)), run(T0, "Failed", false));
        assertThat(estate.published).isEmpty();
        assertThat(failedRecord(o).retriesLeft()).isEqualTo(3);
        Instant deadline = T0.plus(Duration.ofMinutes(5 + 10)).plus(MARGIN);
        assertThat(estate.due(deadline).alerts()).hasSize(1);
    }

    @Test
    void aVanishedRetryNoLongerHoldsTheDeadline() {
        Estate estate = new Estate(retries(1), true);
        estate.page(T0.plus(Duration.ofMinutes(6)), run(T0, "Failed", false));
        JobSession retry = run(T0.plus(Duration.ofMinutes(15)), null, true);
        estate.page(T0.plus(Duration.ofMinutes(16)), retry);
        Instant late = T0.plus(Duration.ofHours(3));
        assertThat(estate.due(late).alerts()).isEmpty();
        estate.store.forget(EM, List.of(retry.getUid()));  // EM answered 404 for it three times
        assertThat(estate.due(late).alerts()).hasSize(1);
    }

    @Test
    void theStoredStateReadsBackAsWritten() {
        IncidentState st = new IncidentState(IncidentState.Phase.PENDING, JOB, "Fileserver \"Backup\"", "Backup",
                "vbr01", "BackupJobSession", "urn:a", 2, 2, "urn:b", T0, T0.plusSeconds(300), 3,
                Duration.ofMinutes(10), RetryPolicy.FROM_JOB, T0.plusSeconds(3000), "urn:c", null, "out of space",
                List.of(new TaskOutcome("fs01", "Failed", "why", "Completed", "urn:t", T0)));
        assertThat(IncidentState.decode(st.encode())).isEqualTo(st);
        assertThat(st.retriesLeft()).isEqualTo(2);
        assertThat(new IncidentEntry(JOB, null).state()).isNull();
    }
}
