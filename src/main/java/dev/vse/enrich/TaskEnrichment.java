package dev.vse.enrich;

import dev.vse.em.EmClient;
import dev.vse.em.EmRequestException;
import dev.vse.em.FailureKind;
import dev.vse.event.SessionEvent;
import dev.vse.event.TaskOutcome;
import dev.vse.model.JobSession;
import dev.vse.model.ReplicaJobSession;
import dev.vse.util.OneLine;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts the task sessions (VM, status, reason) on the records an on-call engineer reads: failed records, and
 * completed records with {@code Result=Warning} (DESIGN.md "Enriched session records"), never on running sessions
 * and never on the changes topic.
 *
 * <p>The sessions of a page that want tasks are read in chunks of up to {@value EmClient#TASK_QUERY_UIDS}: one
 * query-service request per chunk and session kind ({@code type=BackupTaskSession|ReplicaTaskSession}, filtered by
 * {@code JobSessionUid}), not one per session. When a chunk cannot be read, its records go out on time without tasks
 * and with {@code tasksError} (one line), so enrichment never holds an alert back. Once a request of a page failed
 * because EM is unavailable or slow (a retriable failure: 5xx, timeout, reset), the page's remaining sessions are
 * not asked for: a page waits for at most one failed request.
 *
 * <p>An EM that refuses the task-session query itself (4xx, e.g. an older EM that does not filter task sessions by
 * {@code JobSessionUid}) is read session by session through each session's Down link instead (one WARN line), for
 * {@link #QUERY_REFUSED_FOR} before the query is tried again. Tasks are listed failed first, then warnings, then
 * the rest. Thread-safe.
 */
public final class TaskEnrichment {
    /** Reads the task sessions of one job session from EM; throws when it cannot. */
    @FunctionalInterface
    public interface Reader {
        List<TaskOutcome> read(String emId, JobSession session);
    }

    /**
     * Reads the task sessions of up to {@value EmClient#TASK_QUERY_UIDS} job sessions of one kind in one query
     * (paged); the answer has every UID asked for as a key. Throws when it cannot.
     */
    @FunctionalInterface
    public interface BatchReader {
        Map<String, List<TaskOutcome>> read(String emId, boolean replica, List<String> jobSessionUids);
    }

    /** How long an EM that refused the task-session query (4xx) is read session by session. */
    public static final Duration QUERY_REFUSED_FOR = Duration.ofHours(1);

    private static final Logger LOG = LoggerFactory.getLogger(TaskEnrichment.class);
    private static final Comparator<TaskOutcome> ORDER = Comparator.comparingInt(TaskOutcome::severityRank)
            .thenComparing(TaskOutcome::name, Comparator.nullsLast(Comparator.naturalOrder()));

    private final boolean enabled;
    private final BatchReader batch;
    private final Reader single;
    private final LongSupplier nanos;
    /** (EM id, replica) whose task-session query was refused -> System.nanoTime() until which to read per session. */
    private final Map<String, Long> refusedUntil = new ConcurrentHashMap<>();
    /** (EM id, replica) whose task-session query has answered task sessions: its empty answers are believed. */
    private final java.util.Set<String> trusted = ConcurrentHashMap.newKeySet();
    /** (EM id, replica) -> System.nanoTime() before which an empty query answer is not checked again. */
    private final Map<String, Long> nextCrossCheck = new ConcurrentHashMap<>();

    /** Session by session only: one request per session (no query service). */
    public TaskEnrichment(boolean enabled, Reader single) {
        this(enabled, null, single);
    }

    /**
     * @param enabled {@code EVENTS_ENRICH_TASKS}; when false, records go out as detected
     * @param batch   the query-service reader, or null to read session by session only
     * @param single  the per-session reader (Down link), used when EM refuses the query
     */
    public TaskEnrichment(boolean enabled, BatchReader batch, Reader single) {
        this(enabled, batch, single, System::nanoTime);
    }

    TaskEnrichment(boolean enabled, BatchReader batch, Reader single, LongSupplier nanos) {
        this.enabled = enabled;
        this.batch = batch;
        this.single = single;
        this.nanos = nanos;
    }

    /** What was read for one session: its tasks, or why not. */
    private record Read(List<TaskOutcome> tasks, String error) { }

    /** The page's events, those that want tasks with them (the same objects where nothing changed). */
    public List<SessionEvent> enrich(String emId, List<JobSession> sessions, List<SessionEvent> events) {
        if (!enabled || events.stream().noneMatch(SessionEvent::wantsTasks)) {
            return events;
        }
        Map<String, JobSession> byUid = new HashMap<>();
        for (JobSession s : sessions) {
            byUid.put(s.getUid(), s);
        }
        // the sessions to read, once each, in page order, by kind
        Map<String, JobSession> backup = new LinkedHashMap<>();
        Map<String, JobSession> replica = new LinkedHashMap<>();
        for (SessionEvent e : events) {
            JobSession s = byUid.get(e.sessionUid());
            if (e.wantsTasks() && s != null) {
                (s instanceof ReplicaJobSession ? replica : backup).putIfAbsent(s.getUid(), s);
            }
        }
        Map<String, Read> read = new HashMap<>();
        String unavailable = readAll(emId, false, new ArrayList<>(backup.values()), read, null);
        readAll(emId, true, new ArrayList<>(replica.values()), read, unavailable);

        List<SessionEvent> out = new ArrayList<>(events.size());
        for (SessionEvent e : events) {
            Read r = e.wantsTasks() ? read.get(e.sessionUid()) : null;
            out.add(r == null ? e : e.withTasks(r.tasks(), r.error()));
        }
        return out;
    }

    /** Reads {@code todo} chunk by chunk into {@code read}; returns why EM is unavailable, if it became so. */
    private String readAll(String emId, boolean replica, List<JobSession> todo, Map<String, Read> read, String unavailable) {
        for (int from = 0; from < todo.size(); from += EmClient.TASK_QUERY_UIDS) {
            List<JobSession> chunk = todo.subList(from, Math.min(todo.size(), from + EmClient.TASK_QUERY_UIDS));
            if (unavailable != null) {
                String why = "not read: an earlier task-session request of this page failed: " + unavailable;
                chunk.forEach(s -> read.put(s.getUid(), new Read(null, why)));
            } else if (batch == null || refused(emId, replica)) {
                unavailable = oneByOne(emId, chunk, read);
            } else {
                unavailable = query(emId, replica, chunk, read);
            }
        }
        return unavailable;
    }

    private String query(String emId, boolean replica, List<JobSession> chunk, Map<String, Read> read) {
        List<String> uids = chunk.stream().map(JobSession::getUid).toList();
        try {
            Map<String, List<TaskOutcome>> tasks = batch.read(emId, replica, uids);
            boolean none = uids.stream().allMatch(u -> tasks.getOrDefault(u, List.of()).isEmpty());
            if (none && mistrusted(emId, replica, chunk.get(0))) {
                return oneByOne(emId, chunk, read);
            }
            if (!none) {
                trusted.add(key(emId, replica));
            }
            for (String uid : uids) {
                read.put(uid, new Read(sorted(tasks.getOrDefault(uid, List.of())), null));
            }
            return null;
        } catch (EmRequestException ex) {
            if (ex.kind() == FailureKind.PERMANENT && single != null) {
                refusedUntil.put(key(emId, replica), nanos.getAsLong() + QUERY_REFUSED_FOR.toNanos());
                LOG.warn("EM {}: the {} query is refused ({}); task sessions are read session by session for the next {}",
                        emId, replica ? "ReplicaTaskSession" : "BackupTaskSession", OneLine.message(ex),
                        dev.vse.util.Durations.format(QUERY_REFUSED_FOR));
                return oneByOne(emId, chunk, read);
            }
            return failed(emId, chunk, read, ex);
        } catch (RuntimeException ex) {
            return failed(emId, chunk, read, ex);
        }
    }

    private String failed(String emId, List<JobSession> chunk, Map<String, Read> read, RuntimeException ex) {
        String why = OneLine.message(ex);
        if (ex instanceof EmRequestException r && r.request() != null && r.request().contains("&filter=")) {
            // the URL with its 16 UIDs would push the status and EM's message out of a one-line tasksError
            String request = r.request();
            String shorter = request.substring(0, request.indexOf("&filter=")) + "&filter=(" + chunk.size()
                    + " JobSessionUid terms)...";
            why = OneLine.of(ex.getMessage().replace(request, shorter));
        }
        LOG.warn("EM {}: task sessions of {} session(s) ({}{}) unreadable, their records go out without them: {}", emId,
                chunk.size(), chunk.get(0).getUid(), chunk.size() > 1 ? ", ..." : "", why);
        Read none = new Read(null, why);
        chunk.forEach(s -> read.put(s.getUid(), none));
        return retriable(ex) ? why : null;
    }

    /** The per-session path; returns why EM is unavailable, if it became so (the rest of the chunk is not asked). */
    private String oneByOne(String emId, List<JobSession> chunk, Map<String, Read> read) {
        String unavailable = null;
        for (JobSession s : chunk) {
            if (unavailable != null) {
                read.put(s.getUid(), new Read(null, "not read: an earlier task-session request of this page failed: "
                        + unavailable));
                continue;
            }
            try {
                read.put(s.getUid(), new Read(sorted(single.read(emId, s)), null));
            } catch (RuntimeException ex) {
                String why = OneLine.message(ex);
                LOG.warn("EM {}: task sessions of {} unreadable, its record goes out without them: {}", emId, s.getUid(), why);
                read.put(s.getUid(), new Read(null, why));
                if (retriable(ex)) {
                    unavailable = why;
                }
            }
        }
        return unavailable;
    }

    /**
     * A query that answers no task session at all for a whole chunk is either right (sessions that failed before any
     * VM was processed) or an EM that filters {@code JobSessionUid} differently and silently answers nothing. Until the
     * query has once answered task sessions for this EM and kind, such an answer is checked against one session's own
     * Down link (at most once per {@link #QUERY_REFUSED_FOR}): when that link has task sessions, the query is not used
     * for this EM and kind for {@link #QUERY_REFUSED_FOR} (one WARN line) and the chunk is read session by session.
     */
    private boolean mistrusted(String emId, boolean replica, JobSession probe) {
        String key = key(emId, replica);
        if (single == null || trusted.contains(key)) {
            return false;
        }
        long now = nanos.getAsLong();
        Long next = nextCrossCheck.get(key);
        if (next != null && now - next < 0) {
            return false;
        }
        nextCrossCheck.put(key, now + QUERY_REFUSED_FOR.toNanos());
        List<TaskOutcome> direct;
        try {
            direct = single.read(emId, probe);
        } catch (RuntimeException ex) {
            return false; // inconclusive: the query's answer stands, the next empty answer after the hour checks again
        }
        if (direct.isEmpty()) {
            return false;
        }
        refusedUntil.put(key, now + QUERY_REFUSED_FOR.toNanos());
        LOG.warn("EM {}: the {} query answered no task session for {}, its own link has {}; task sessions are read "
                        + "session by session for the next {}", emId, replica ? "ReplicaTaskSession" : "BackupTaskSession",
                probe.getUid(), direct.size(), dev.vse.util.Durations.format(QUERY_REFUSED_FOR));
        return true;
    }

    private boolean refused(String emId, boolean replica) {
        Long until = refusedUntil.get(key(emId, replica));
        if (until == null) {
            return false;
        }
        if (nanos.getAsLong() - until >= 0) {
            refusedUntil.remove(key(emId, replica));
            return false;
        }
        return true;
    }

    private static boolean retriable(RuntimeException ex) {
        return ex instanceof EmRequestException r && r.kind() == FailureKind.RETRIABLE;
    }

    private static String key(String emId, boolean replica) {
        return emId + (replica ? "/replica" : "/backup");
    }

    private static List<TaskOutcome> sorted(List<TaskOutcome> tasks) {
        List<TaskOutcome> l = new ArrayList<>(tasks);
        l.sort(ORDER);
        return l;
    }
}
