package dev.vse.incident;

import dev.vse.detect.IncidentEntry;
import dev.vse.event.EventIds;
import dev.vse.event.EventType;
import dev.vse.event.JobAlert;
import dev.vse.event.SessionEvent;
import dev.vse.event.TaskOutcome;
import dev.vse.model.JobSession;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Retry-aware job incidents (DESIGN.md "More topics and records", job alerts). A job <b>fails</b> when a session of it
 * ends {@code Failed} and no automatic retry will follow: the job has no retries, they are used up, or no retry
 * started within {@code RetryTimeout} + {@code POLL_LAG_MARGIN} of the failure ({@link #due}). A failure that a
 * retry repairs raises nothing. A failed job is <b>resolved</b> by its next session that ends {@code Success} or
 * {@code Warning}. One {@code em.job.failed.v1} and one {@code em.job.resolved.v1} per incident: the state between
 * them ({@link IncidentState}) is committed with the page, after Kafka acknowledged the alert, and a page read again
 * after a crash meets the state it met the first time.
 *
 * <p>What counts as a retry is decided by job and time, not by {@code IsRetry} (which real EMs do not always set on
 * the repaired run): any later session of the same job that started by the deadline of the last failure.
 *
 * <p>Pure logic over the page's sessions and events and the stored states; the pipeline stage around it reads and
 * commits them. Not thread-safe per EM (one EM's pages are processed one at a time).
 */
public final class JobIncidents {
    private static final Logger LOG = LoggerFactory.getLogger(JobIncidents.class);
    /** Tasks kept with an incident (those that need attention, the first of them). */
    static final int MAX_TASKS = 50;

    /**
     * What a page (or a deadline check) changes.
     *
     * @param events  the page's events, the failed records with {@code retryPending} / {@code retriesLeft} set
     * @param alerts  the job alerts to publish with them
     * @param changes the incident states to commit after the acknowledgement
     */
    public record Outcome(List<SessionEvent> events, List<JobAlert> alerts, List<IncidentEntry> changes) {
        public boolean raisedNothing() {
            return alerts.isEmpty() && changes.isEmpty();
        }
    }

    private final RetryPolicies policies;
    private final Duration lagMargin;

    public JobIncidents(RetryPolicies policies, Duration lagMargin) {
        this.policies = policies;
        this.lagMargin = lagMargin;
    }

    /**
     * Applies one page.
     *
     * @param source   the EM URL ({@code ce_source} of the alerts)
     * @param sessions the page's sessions
     * @param events   the page's session events (after enrichment)
     * @param stored   the EM's committed incident states (job UID to encoded state)
     * @param now      detection time
     */
    public Outcome assess(String emId, String source, List<JobSession> sessions, List<SessionEvent> events,
                          Map<String, String> stored, Instant now) {
        Map<String, Integer> terminal = new HashMap<>();
        for (int i = 0; i < events.size(); i++) {
            if (events.get(i).type().isTerminal()) {
                terminal.put(events.get(i).sessionUid(), i);
            }
        }
        Page page = new Page(emId, source, stored, events, now);
        List<JobSession> ordered = new ArrayList<>(sessions);
        ordered.sort(Comparator.comparing(JobSession::getCreationTimeUtc, Comparator.nullsLast(Comparator.naturalOrder())));
        for (JobSession s : ordered) {
            if (s.getJobUid() == null || s.getUid() == null || s.getCreationTimeUtc() == null) {
                continue;
            }
            Integer at = terminal.get(s.getUid());
            if (at == null) {
                page.running(s);
            } else if (events.get(at).type() == EventType.FAILED) {
                page.failed(s, at);
            } else {
                page.ended(s, at);
            }
        }
        return page.outcome();
    }

    /**
     * The pending incidents of {@code sessionType} whose deadline passed by {@code now} with no retry running: their
     * jobs fail now. Call it only after a cycle that read its whole window (a retry in an unread page would be missed).
     *
     * @param now          the cycle's start, less EM's clock skew
     * @param stillTracked whether a session UID is still tracked (a retry that vanished no longer holds the deadline)
     */
    public Outcome due(String emId, String source, String sessionType, Map<String, String> stored, Instant now,
                       Predicate<String> stillTracked) {
        Page page = new Page(emId, source, stored, List.of(), now);
        for (IncidentState st : page.states.values().stream().toList()) {
            if (st.phase() != IncidentState.Phase.PENDING || !sessionType.equals(st.sessionType())
                    || st.deadline() == null || now.isBefore(st.deadline())) {
                continue;
            }
            if (st.retryRunningUid() != null && stillTracked.test(st.retryRunningUid())) {
                continue;
            }
            LOG.info("EM {}: job \"{}\" failed: no retry started within {} + {} of its failure at {}", emId,
                    st.jobName(), st.retryTimeout(), lagMargin, st.lastFailedEnd());
            page.open(st);
        }
        return page.outcome();
    }

    /** The states of one page, as they change. */
    private final class Page {
        final String emId;
        final String source;
        final Instant now;
        final Map<String, IncidentState> states = new LinkedHashMap<>();
        final Map<String, IncidentState> changed = new LinkedHashMap<>();
        final List<SessionEvent> events;
        final List<JobAlert> alerts = new ArrayList<>();

        Page(String emId, String source, Map<String, String> stored, List<SessionEvent> events, Instant now) {
            this.emId = emId;
            this.source = source;
            this.now = now;
            this.events = new ArrayList<>(events);
            stored.forEach((job, encoded) -> states.put(job, IncidentState.decode(encoded)));
        }

        /** A session that has not ended (or ended without a record now): a retry that started, perhaps. */
        void running(JobSession s) {
            IncidentState st = states.get(s.getJobUid());
            if (st == null || st.phase() != IncidentState.Phase.PENDING || st.retryRunningUid() != null
                    || s.getUid().equals(st.lastFailedSessionUid()) || !isRetryOf(st, s)
                    || "Stopped".equalsIgnoreCase(s.getState())) {
                return;
            }
            put(st.retryRunning(s.getUid()));
        }

        void failed(JobSession s, int at) {
            SessionEvent e = events.get(at);
            IncidentState st = states.get(s.getJobUid());
            if (st != null && (s.getUid().equals(st.lastFailedSessionUid())
                    || s.getCreationTimeUtc().isBefore(st.lastFailedCreation()))) {
                // read again (or an older run that ended late): it changes nothing, and says what it said before
                events.set(at, e.withRetry(st.phase() == IncidentState.Phase.PENDING, st.retriesLeft()));
                return;
            }
            RetryPolicy policy = policies.of(emId, s);
            IncidentState next;
            if (st == null) {
                next = failure(s, e, policy, null, 1, 1);
            } else if (isRetryOf(st, s)) {
                next = failure(s, e, policy, st, st.attempts() + 1, st.chainAttempts() + 1);
            } else {
                // a new run after the deadline of the last failure: that failure's retries never came
                if (st.phase() == IncidentState.Phase.PENDING) {
                    open(st);
                    st = states.get(s.getJobUid());
                }
                next = failure(s, e, policy, st, st.attempts() + 1, 1);
            }
            boolean final_ = next.retriesLeft() == 0;
            events.set(at, e.withRetry(!final_, next.retriesLeft()));
            if (next.phase() == IncidentState.Phase.OPEN) {
                put(next);  // already failed: the incident goes on, no second alert
            } else if (final_) {
                open(next);
            } else {
                put(next);
            }
        }

        void ended(JobSession s, int at) {
            IncidentState st = states.get(s.getJobUid());
            if (st == null || !s.getCreationTimeUtc().isAfter(st.lastFailedCreation())) {
                return;
            }
            SessionEvent e = events.get(at);
            if (st.phase() == IncidentState.Phase.PENDING && st.deadline() != null
                    && s.getCreationTimeUtc().isAfter(st.deadline())) {
                // not a retry: the failure's deadline passed unseen (this service was down), so the job failed then
                open(st);
                st = states.get(s.getJobUid());
            }
            if (st.phase() == IncidentState.Phase.OPEN) {
                alerts.add(alert(JobAlert.Status.RESOLVED, st, s.getUid(), orNow(e.endTime()), e.tasks()));
            } else {
                LOG.info("EM {}: job \"{}\" repaired by its retry {} after {} failed attempt(s): no job alert", emId,
                        st.jobName(), s.getUid(), st.attempts());
            }
            states.remove(s.getJobUid());
            changed.put(s.getJobUid(), null);
        }

        void open(IncidentState st) {
            IncidentState opened = st.open(now);
            put(opened);
            alerts.add(alert(JobAlert.Status.FAILED, opened, opened.lastFailedSessionUid(), null, opened.tasks()));
        }

        private IncidentState failure(JobSession s, SessionEvent e, RetryPolicy policy, IncidentState st,
                                      int attempts, int chainAttempts) {
            Instant end = orNow(s.getEndTimeUtc());
            IncidentState.Phase phase = st == null ? IncidentState.Phase.PENDING : st.phase();
            return new IncidentState(phase, s.getJobUid(), s.getJobName(), s.getJobType(), s.backupServerName(),
                    s.sessionType(), st == null ? s.getUid() : st.firstFailedSessionUid(), attempts, chainAttempts,
                    s.getUid(), s.getCreationTimeUtc(), end, policy.retries(), policy.timeout(), policy.source(),
                    end.plus(policy.timeout()).plus(lagMargin), null, st == null ? null : st.openedAt(),
                    failureMessage(s, e), attention(e.tasks()));
        }

        /** Started by the deadline of the last failure (and after it began): a retry of it. */
        private boolean isRetryOf(IncidentState st, JobSession s) {
            return s.getCreationTimeUtc().isAfter(st.lastFailedCreation())
                    && (st.deadline() == null || !s.getCreationTimeUtc().isAfter(st.deadline()));
        }

        private JobAlert alert(JobAlert.Status status, IncidentState st, String sessionUid, Instant resolvedAt,
                               List<TaskOutcome> tasks) {
            String id = EventIds.jobAlert(emId, st.jobUid(), status.ceType(), st.firstFailedSessionUid());
            Instant time = status == JobAlert.Status.RESOLVED ? resolvedAt : st.lastFailedEnd();
            return new JobAlert(status, id, source, st.jobUid(), time, emId, st.jobUid(), st.jobName(), st.jobType(),
                    st.backupServer(), JobAlert.incidentKey(emId, st.jobUid()), sessionUid,
                    st.firstFailedSessionUid(), st.attempts(), st.retries(), st.lastFailedEnd(), resolvedAt,
                    st.failureMessage(), tasks, now);
        }

        private void put(IncidentState st) {
            states.put(st.jobUid(), st);
            changed.put(st.jobUid(), st);
        }

        private Instant orNow(Instant t) {
            return t == null ? now : t;
        }

        Outcome outcome() {
            List<IncidentEntry> entries = new ArrayList<>(changed.size());
            changed.forEach((job, st) -> entries.add(new IncidentEntry(job, st == null ? null : st.encode())));
            return new Outcome(List.copyOf(events), List.copyOf(alerts), entries);
        }
    }

    /** EM's FailureMessage, else the reason of the first failed task. */
    private static String failureMessage(JobSession s, SessionEvent e) {
        if (s.getFailureMessage() != null && !s.getFailureMessage().isBlank()) {
            return s.getFailureMessage();
        }
        if (e.tasks() != null) {
            for (TaskOutcome t : e.tasks()) {
                if (t.severityRank() == 0 && t.reason() != null) {
                    return t.reason();
                }
            }
        }
        return null;
    }

    private static List<TaskOutcome> attention(List<TaskOutcome> tasks) {
        if (tasks == null) {
            return null;
        }
        return tasks.stream().filter(TaskOutcome::needsAttention).limit(MAX_TASKS).toList();
    }
}
