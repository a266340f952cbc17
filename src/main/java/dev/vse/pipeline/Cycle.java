package dev.vse.pipeline;

import dev.vse.app.AppConfig.EmSource;
import dev.vse.em.SessionQuery;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One poll of one session type on one EM. Shared by reference with the page sub-exchanges of the
 * split, so that a page can report that it was parked in the DLQ (the cycle is then incomplete and
 * its window is read again next time) or that the cycle must stop (EM or Kafka unavailable).
 */
public final class Cycle {
    private final EmSource em;
    private final String sessionType;
    private final SessionQuery query;
    private final Instant start;
    private final boolean initialLoad;
    private final Set<String> seen = ConcurrentHashMap.newKeySet();
    private final AtomicInteger pages = new AtomicInteger();
    private final AtomicInteger events = new AtomicInteger();
    private volatile boolean incomplete;
    private volatile boolean aborted;
    private final java.util.concurrent.atomic.AtomicBoolean stopReported = new java.util.concurrent.atomic.AtomicBoolean();

    public Cycle(EmSource em, String sessionType, SessionQuery query, Instant start, boolean initialLoad) {
        this.em = em;
        this.sessionType = sessionType;
        this.query = query;
        this.start = start;
        this.initialLoad = initialLoad;
    }

    public EmSource em() { return em; }
    public String emId() { return em.id(); }
    public String sessionType() { return sessionType; }
    public SessionQuery query() { return query; }
    public Instant start() { return start; }
    /** First cycle against this EM and session type: the initial-load policy applies. */
    public boolean initialLoad() { return initialLoad; }
    public Set<String> seen() { return seen; }
    public int pagesRead() { return pages.get(); }
    public void pageRead() { pages.incrementAndGet(); }
    public void published(int n) { events.addAndGet(n); }
    public int eventsPublished() { return events.get(); }

    /** A response was parked in the DLQ: go on, but read this window again next cycle. */
    public void markIncomplete() { incomplete = true; }
    /** EM or Kafka failed: stop fetching; nothing after this point is committed. */
    public void abort() { aborted = true; }
    public boolean isIncomplete() { return incomplete; }
    public boolean isAborted() { return aborted; }
    /** True only for the first caller: the cycle's stop is reported in one line, however many splits saw it. */
    public boolean claimStopReport() { return stopReported.compareAndSet(false, true); }

    @Override
    public String toString() {
        return em.id() + "/" + sessionType;
    }
}
