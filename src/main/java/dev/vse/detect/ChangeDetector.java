package dev.vse.detect;

import dev.vse.event.EventIds;
import dev.vse.event.EventType;
import dev.vse.event.SessionEvent;
import dev.vse.model.JobSession;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Decides which records one observation of a session produces (DESIGN.md "Semantics";
 * docs/change-detection.md has the table). Stateless apart from its configuration, so thread-safe;
 * the memory lives in the {@link SessionSnapshot} the caller passes in and commits afterwards.
 *
 * <p>EM lags the backup servers by a collection interval (veeam-em-api.md §4.5), so transitions may
 * be skipped: detection is "first time seen" + "changed since last seen", never "saw the transition".
 */
public final class ChangeDetector {
    private final boolean emitProgressChanges;

    public ChangeDetector() {
        this(false);
    }

    /** @param emitProgressChanges also publish progress-only changes on {@code changes} */
    public ChangeDetector(boolean emitProgressChanges) {
        this.emitProgressChanges = emitProgressChanges;
    }

    /**
     * @param emId        configured id of the EM ({@code emServer} in the value)
     * @param sourceUri   the EM API base URL as configured ({@code ce_source})
     * @param current     the session as EM returns it now
     * @param previous    the committed snapshot of this session, if any
     * @param historyBefore a session first seen already Stopped that ended before this instant is history (the
     *                    initial-load policy's boundary for this EM's baseline instant, widened by EM's clock skew):
     *                    recorded without a completed/failed record; null when nothing is history
     * @param now         detection time
     * @throws InvalidSessionException when the session lacks UID, State or CreationTimeUTC
     */
    public Detection detect(String emId, String sourceUri, JobSession current, Optional<SessionSnapshot> previous,
                            Instant historyBefore, Instant now) {
        validate(current);
        SessionSnapshot prev = previous.orElse(null);
        boolean tracked = prev == null || trackedFieldsDiffer(prev, current);
        boolean progressOnly = !tracked && !Objects.equals(prev.progress(), current.getProgress());
        boolean alreadyTerminal = prev != null && prev.terminalPublished();
        boolean terminalNow = SessionStates.isTerminal(current.getState(), current.getResult());

        List<SessionEvent> events = new ArrayList<>(2);
        EventFactory factory = new EventFactory(emId, sourceUri, current, prev, now);
        if (tracked) {
            events.add(factory.changed());
        } else if (progressOnly && emitProgressChanges) {
            events.add(factory.progressChanged());
        }
        boolean terminalPublished = alreadyTerminal;
        if (terminalNow && !alreadyTerminal) {
            boolean suppressed = prev == null && isHistory(current.getEndTimeUtc(), historyBefore);
            if (!suppressed) {
                events.add(factory.terminal(SessionStates.isFailed(current.getResult())
                        ? EventType.FAILED : EventType.COMPLETED));
            }
            terminalPublished = true;  // published, or deliberately never to be published (baseline)
        }
        // lastChanged to the microsecond (EM's own precision): the clock's nanoseconds would keep every snapshot out of
        // the store's compact form (CompactSessions), at three times the heap per session
        SessionSnapshot next = snapshot(emId, current, terminalPublished,
                tracked ? now.truncatedTo(ChronoUnit.MICROS) : prev.lastChanged());
        return new Detection(events, next, !next.equals(prev));
    }

    /** Ended before the boundary; a Stopped session without EndTime is not history (never miss it). */
    private static boolean isHistory(Instant endTime, Instant historyBefore) {
        return historyBefore != null && endTime != null && endTime.isBefore(historyBefore);
    }

    private static boolean trackedFieldsDiffer(SessionSnapshot prev, JobSession s) {
        return !Objects.equals(prev.state(), s.getState())
                || !Objects.equals(prev.result(), s.getResult())
                || !Objects.equals(prev.isRetry(), s.getIsRetry())
                || !Objects.equals(prev.endTime(), s.getEndTimeUtc());
    }

    private static SessionSnapshot snapshot(String emId, JobSession s, boolean terminalPublished, Instant lastChanged) {
        return new SessionSnapshot(emId, s.getUid(), s.sessionType(), s.getHref(), s.getJobUid(), s.getJobName(),
                s.getJobType(), s.backupServerName(), s.getCreationTimeUtc(), s.getEndTimeUtc(), s.getState(),
                s.getResult(), s.getProgress(), s.getIsRetry(), terminalPublished, lastChanged);
    }

    private static void validate(JobSession s) {
        if (s == null) {
            throw new InvalidSessionException("no session");
        }
        if (isBlank(s.getUid()) || isBlank(s.getState()) || s.getCreationTimeUtc() == null) {
            throw new InvalidSessionException("session lacks UID, State or CreationTimeUTC: uid=" + s.getUid()
                    + " href=" + s.getHref());
        }
    }

    private static boolean isBlank(String value) {
        return value == null || value.isBlank();
    }

    /** Builds the records of one observation; knows the ce_id recipe and the choice of {@code time}. */
    private record EventFactory(String emId, String source, JobSession s, SessionSnapshot prev, Instant now) {
        SessionEvent changed() {
            String id = EventIds.changed(emId, s.getUid(), previousState(), previousResult(), s.getState(),
                    s.getResult(), s.getIsRetry(), s.getEndTimeUtc());
            return event(EventType.CHANGED, id, changeTime());
        }

        SessionEvent progressChanged() {
            String id = EventIds.progressChanged(emId, s.getUid(), s.getState(), s.getResult(), s.getIsRetry(),
                    s.getEndTimeUtc(), s.getProgress());
            return event(EventType.CHANGED, id, now);
        }

        SessionEvent terminal(EventType type) {
            return event(type, EventIds.terminal(emId, s.getUid(), type), orNow(s.getEndTimeUtc()));
        }

        /** Deterministic where EM offers a time: EndTime once stopped, CreationTime at first sight. */
        private Instant changeTime() {
            if (SessionStates.isStopped(s.getState()) && s.getEndTimeUtc() != null) {
                return s.getEndTimeUtc();
            }
            return prev == null ? orNow(s.getCreationTimeUtc()) : now;
        }

        private SessionEvent event(EventType type, String id, Instant time) {
            return new SessionEvent(type, id, source, s.getUid(), time, emId, s.getUid(), s.sessionType(),
                    s.getName(), s.getJobUid(), s.getJobName(), s.getJobType(), s.backupServerName(),
                    s.getCreationTimeUtc(), s.getEndTimeUtc(), s.getState(), s.getResult(), s.getProgress(),
                    s.getIsRetry(), previousState(), previousResult(), s.getFailureMessage(), s.getHref(), now);
        }

        private String previousState() {
            return prev == null ? null : prev.state();
        }

        private String previousResult() {
            return prev == null ? null : prev.result();
        }

        private Instant orNow(Instant t) {
            return t == null ? now : t;
        }
    }
}
