package dev.vse.pipeline;

import dev.vse.detect.SessionSnapshot;
import dev.vse.em.EmSource;
import dev.vse.em.SessionQuery;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * One poll of one session type on one EM: the query, when it started, which finished sessions are history, and
 * what it met on the way (sessions seen, pages, events, whether a response was parked whole).
 *
 * <p>A {@link Kind#REGULAR} cycle reads the window since the previous cycle (minus the lag margin) and moves the
 * watermark when every response was readable; a {@link Kind#SWEEP} re-reads {@code POLL_SWEEP_LOOKBACK} for
 * sessions EM collected late and never moves the watermark.
 */
public final class Cycle {
    /** What the cycle is for. */
    public enum Kind { REGULAR, SWEEP }

    private final EmSource em;
    private final String sessionType;
    private final Kind kind;
    private final SessionQuery query;
    private final Instant start;
    private final Instant historyBefore;
    private final Set<String> seen = ConcurrentHashMap.newKeySet();
    private final AtomicInteger pages = new AtomicInteger();
    private final AtomicInteger events = new AtomicInteger();
    private volatile boolean windowKept;
    private final Paging paging = new Paging();
    private Rereads rereads;

    /**
     * @param historyBefore sessions first seen Stopped that ended before it are history (no completed/failed
     *                      record); null when nothing is
     */
    public Cycle(EmSource em, String sessionType, Kind kind, SessionQuery query, Instant start, Instant historyBefore) {
        this.em = em;
        this.sessionType = sessionType;
        this.kind = kind;
        this.query = query;
        this.start = start;
        this.historyBefore = historyBefore;
    }

    public EmSource em() { return em; }
    public String emId() { return em.id(); }
    public String sessionType() { return sessionType; }
    public Kind kind() { return kind; }
    public SessionQuery query() { return query; }
    public Instant start() { return start; }
    public Instant historyBefore() { return historyBefore; }
    /** UIDs of the sessions this cycle's answers contained (read or parked): they need no re-read by Href. */
    public Set<String> seen() { return seen; }
    public int pagesRead() { return pages.get(); }
    void pageRead() { pages.incrementAndGet(); }
    void published(int n) { events.addAndGet(n); }
    public int eventsPublished() { return events.get(); }

    /** A response was parked whole in the DLQ: the cycle goes on, but its window is read again next time. */
    void keepWindow() { windowKept = true; }
    public boolean windowKept() { return windowKept; }

    /** Where the cycle is in its query's pages. */
    Paging paging() { return paging; }

    /** The cycle's re-reads by Href, chosen once by {@code choose} at the first ask. */
    synchronized Rereads rereads(Supplier<List<SessionSnapshot>> choose) {
        if (rereads == null) {
            rereads = new Rereads(choose.get());
        }
        return rereads;
    }

    /** Pages 1..last; the last page is unknown until a page said how many there are. */
    static final class Paging {
        private int next = 1;
        private int last = Integer.MAX_VALUE;
        /** The request of page {@link #aheadPage}, started while the page before it is processed; null when none. */
        private java.util.concurrent.CompletableFuture<?> ahead;
        private int aheadPage;

        /** Keeps the request of {@code page}, started ahead (at most one: any earlier one is discarded). */
        synchronized void ahead(int page, java.util.concurrent.CompletableFuture<?> request) {
            discardAhead();
            aheadPage = page;
            ahead = request;
        }

        /** The request started ahead for {@code page}, taken (null when there is none for that page). */
        synchronized java.util.concurrent.CompletableFuture<?> takeAhead(int page) {
            java.util.concurrent.CompletableFuture<?> f = aheadPage == page ? ahead : null;
            if (f != null) {
                ahead = null;
            }
            return f;
        }

        /** Whether a request started ahead is there and has its answer (or failure) already. */
        synchronized boolean aheadDone() {
            return ahead != null && ahead.isDone();
        }

        /** Drops a request started ahead: its answer, if it still comes, is never processed. */
        synchronized void discardAhead() {
            if (ahead != null) {
                ahead.cancel(false);
                ahead = null;
            }
        }

        synchronized boolean hasNext() { return next <= last; }
        synchronized int take() { return next++; }
        synchronized void last(int page) { last = page; }
        /** An unreadable page before any page count was known: nothing more to ask for. */
        synchronized void lastIfUnknown(int page) {
            if (last == Integer.MAX_VALUE) {
                last = page;
            }
        }
    }

    /** The tracked sessions this cycle re-reads, taken in batches. */
    static final class Rereads {
        private final List<SessionSnapshot> due;
        private int next;

        Rereads(List<SessionSnapshot> due) { this.due = due; }

        synchronized boolean hasNext() { return next < due.size(); }

        synchronized List<SessionSnapshot> take(int n) {
            List<SessionSnapshot> batch = List.copyOf(due.subList(next, Math.min(due.size(), next + n)));
            next += batch.size();
            return batch;
        }
    }

    @Override
    public String toString() {
        return em.id() + "/" + sessionType + (kind == Kind.SWEEP ? " (sweep)" : "");
    }
}
