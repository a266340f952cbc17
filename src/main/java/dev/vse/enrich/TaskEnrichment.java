package dev.vse.enrich;

import dev.vse.em.EmRequestException;
import dev.vse.em.FailureKind;
import dev.vse.event.SessionEvent;
import dev.vse.event.TaskOutcome;
import dev.vse.model.JobSession;
import dev.vse.util.OneLine;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts the task sessions (VM, status, reason) on the records an on-call engineer reads: failed records, and
 * completed records with {@code Result=Warning} (DESIGN.md "Enriched session records"). One EM request per such
 * session, never per running session and never for the changes topic; when it fails, the record goes out on time
 * without tasks and with {@code tasksError} (one line), so enrichment never holds an alert back. Once a request of a
 * page failed because EM is unavailable or slow (a retriable failure: 5xx, timeout, reset), the page's remaining
 * sessions are not asked for: a page waits for at most one failed request. Tasks are listed failed first, then
 * warnings, then the rest. Thread-safe.
 */
public final class TaskEnrichment {
    /** Reads the task sessions of one job session from EM; throws when it cannot. */
    @FunctionalInterface
    public interface Reader {
        List<TaskOutcome> read(String emId, JobSession session);
    }

    private static final Logger LOG = LoggerFactory.getLogger(TaskEnrichment.class);
    private static final Comparator<TaskOutcome> ORDER = Comparator.comparingInt(TaskOutcome::severityRank)
            .thenComparing(TaskOutcome::name, Comparator.nullsLast(Comparator.naturalOrder()));

    private final boolean enabled;
    private final Reader reader;

    /** @param enabled {@code EVENTS_ENRICH_TASKS}; when false, records go out as detected */
    public TaskEnrichment(boolean enabled, Reader reader) {
        this.enabled = enabled;
        this.reader = reader;
    }

    /** The page's events, those that want tasks with them (the same objects where nothing changed). */
    public List<SessionEvent> enrich(String emId, List<JobSession> sessions, List<SessionEvent> events) {
        if (!enabled || events.stream().noneMatch(SessionEvent::wantsTasks)) {
            return events;
        }
        Map<String, JobSession> byUid = new HashMap<>();
        for (JobSession s : sessions) {
            byUid.put(s.getUid(), s);
        }
        List<SessionEvent> out = new ArrayList<>(events.size());
        String unavailable = null;
        for (SessionEvent e : events) {
            JobSession s = byUid.get(e.sessionUid());
            if (!e.wantsTasks() || s == null) {
                out.add(e);
            } else if (unavailable != null) {
                out.add(e.withTasks(null, "not read: an earlier task-session request of this page failed: " + unavailable));
            } else {
                try {
                    List<TaskOutcome> tasks = new ArrayList<>(reader.read(emId, s));
                    tasks.sort(ORDER);
                    out.add(e.withTasks(tasks, null));
                } catch (RuntimeException ex) {
                    String why = OneLine.message(ex);
                    LOG.warn("EM {}: task sessions of {} unreadable, its {} record goes out without them: {}", emId,
                            s.getUid(), e.type().ceType(), why);
                    out.add(e.withTasks(null, why));
                    if (ex instanceof EmRequestException r && r.kind() == FailureKind.RETRIABLE) {
                        unavailable = why;
                    }
                }
            }
        }
        return out;
    }
}
