package dev.vse.pipeline;

import dev.vse.detect.SessionSnapshot;
import dev.vse.detect.StateStore;
import dev.vse.em.EmClient;
import dev.vse.em.EmRequestException;
import dev.vse.em.EmRetry;
import dev.vse.em.FailureKind;
import dev.vse.em.QueryPage;
import dev.vse.em.SessionResponse;
import dev.vse.model.JobSession;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import org.apache.camel.ExchangeProperty;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Talks to EM for a cycle: every page of the query, one at a time, then, by {@code Href}, tracked sessions that
 * are still running but were not in the answer.
 *
 * <p>The poll-cycle route asks for one page at a time ({@link #hasPage}, {@link #nextPage}) in a loop that ends at
 * the first failure. With an executor for it, the request of page k+1 starts when page k is handed on, so EM answers
 * it (and its XML is read) while page k is processed; its outcome is taken only when the route asks for page k+1,
 * after page k was published and committed, so pages still commit in order and a failure of page k+1 ends the cycle
 * exactly where it would have without the head start. At most one page is ahead; a cycle that ends first discards it. A page unreadable as a whole is handed on
 * as such (to be parked) and the later pages are still read; when even the page count is unknown (page 1
 * unreadable) the pages end there. Any other EM failure, after the retries of {@link EmRetry}, is thrown: the
 * cycle stops and the next one starts again from page 1.
 *
 * <p>Re-reads are bounded per cycle and rotate through the tracked running sessions (ordered by UID, each cycle
 * continuing after the last one read), so each is read within {@code ceil(n / maxRereads)} cycles. A session
 * that answers 404 {@value #GONE_AFTER} times in a row is no longer tracked.
 */
public final class PageFetcher {
    /** Exchange property holding the {@link Cycle} of the current poll. */
    public static final String CYCLE = "vse.cycle";
    static final int GONE_AFTER = 3;
    /** Re-reads per page: one Kafka batch and one commit for this many sessions. */
    static final int REREAD_BATCH = 50;
    private static final Logger LOG = LoggerFactory.getLogger(PageFetcher.class);

    private final EmClients ems;
    private final StateStore store;
    private final EmRetry retry;
    private final int maxRereads;
    private final Map<String, String> rereadCursor = new ConcurrentHashMap<>();
    private final Map<String, Integer> notFound = new ConcurrentHashMap<>();

    private final Executor ahead;

    /** Pages one at a time, each asked for when the one before it has been processed. */
    public PageFetcher(EmClients ems, StateStore store, EmRetry retry, int maxRereads) {
        this(ems, store, retry, maxRereads, null);
    }

    /**
     * @param ahead where the request of page k+1 runs while page k is processed (at most one page ahead per cycle),
     *              or null to ask for each page only when the one before it has been processed
     */
    public PageFetcher(EmClients ems, StateStore store, EmRetry retry, int maxRereads, Executor ahead) {
        this.ems = ems;
        this.store = store;
        this.retry = retry;
        this.maxRereads = maxRereads;
        this.ahead = ahead;
    }

    /** Whether the cycle's query has a page left to ask for (the poll-cycle route loops while it has). */
    public boolean hasPage(@ExchangeProperty(CYCLE) Cycle cycle) {
        return cycle.paging().hasNext();
    }

    /**
     * The cycle's next page. An EM failure (after the retries) is thrown and ends the loop, and with it the cycle;
     * an unreadable page is handed on to be parked, and the later pages are still read, unless the page count is
     * not known yet (page 1).
     */
    public FetchedPage nextPage(@ExchangeProperty(CYCLE) Cycle cycle) {
        Cycle.Paging paging = cycle.paging();
        int page = paging.take();
        CompletableFuture<?> started = paging.takeAhead(page);
        try {
            QueryPage p = started != null ? (QueryPage) await(started) : fetch(cycle, page);
            cycle.pageRead();
            paging.last(p.isEmpty() ? page : Math.max(1, p.pagesCount())); // an empty page ends the query
            startNext(cycle, page);
            return FetchedPage.page(p.response().request(), p.response().body(), p.sessions(), p.rejected());
        } catch (EmRequestException e) {
            if (e.kind() != FailureKind.MALFORMED) {
                throw e;
            }
            paging.lastIfUnknown(page);
            startNext(cycle, page);
            return FetchedPage.unreadablePage(e);
        }
    }

    /** One page, read (XML included) with the retries of {@link EmRetry}. */
    private QueryPage fetch(Cycle cycle, int page) {
        EmClient client = ems.client(cycle.emId());
        return retry.call(cycle.emId(), "page " + page, () -> client.queryPage(cycle.query(), page));
    }

    /**
     * Starts the request of the page after {@code page}, if there is one, so that EM answers it (and it is read)
     * while {@code page} is processed. Its outcome, a failure included, is taken by the next {@link #nextPage} only,
     * i.e. after {@code page} was published and committed; a cycle that ends first discards it
     * ({@link CycleCloser}). At most one page ahead.
     */
    private void startNext(Cycle cycle, int page) {
        Cycle.Paging paging = cycle.paging();
        if (ahead != null && paging.hasNext()) {
            int next = page + 1;
            paging.ahead(next, CompletableFuture.supplyAsync(() -> fetch(cycle, next), ahead));
        }
    }

    /** The answer of a request started ahead; its failure as if the request had been made here. */
    private static Object await(CompletableFuture<?> f) {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            f.cancel(false);
            throw new IllegalStateException("interrupted while waiting for an EM page", e);
        } catch (CancellationException e) {
            throw new IllegalStateException("the request of this page was discarded", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException r) {
                throw r;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(cause);
        }
    }

    /**
     * Up to {@code maxRereads} tracked sessions of this type that are not Stopped and were not in this cycle's
     * answer, continuing after the last one re-read in the previous cycle.
     */
    public List<SessionSnapshot> unfinished(@ExchangeProperty(CYCLE) Cycle cycle) {
        if (cycle.kind() == Cycle.Kind.SWEEP) {
            return List.of(); // the regular cycle of the same type re-reads them
        }
        List<SessionSnapshot> hidden = new ArrayList<>();
        for (SessionSnapshot s : store.unfinished(cycle.emId(), cycle.sessionType())) {
            if (!cycle.seen().contains(s.uid()) && s.href() != null && !s.href().isBlank()) {
                hidden.add(s);
            }
        }
        if (hidden.size() <= maxRereads) {
            return hidden;
        }
        hidden.sort(Comparator.comparing(SessionSnapshot::uid));
        String key = cycle.emId() + "/" + cycle.sessionType();
        String after = rereadCursor.getOrDefault(key, "");
        int start = 0;
        while (start < hidden.size() && hidden.get(start).uid().compareTo(after) <= 0) {
            start++;
        }
        List<SessionSnapshot> batch = new ArrayList<>(maxRereads);
        for (int i = 0; i < maxRereads; i++) {
            batch.add(hidden.get((start + i) % hidden.size()));
        }
        rereadCursor.put(key, batch.get(batch.size() - 1).uid());
        return batch;
    }

    /** Whether re-reads by Href are left in this cycle ({@link #unfinished}, chosen at the first ask). */
    public boolean hasRereads(@ExchangeProperty(CYCLE) Cycle cycle) {
        return cycle.rereads(() -> unfinished(cycle)).hasNext();
    }

    /** The next {@value #REREAD_BATCH} re-reads, as one page for detection, publishing and commit. */
    public FetchedPage nextRereads(@ExchangeProperty(CYCLE) Cycle cycle) {
        return reread(cycle, cycle.rereads(() -> unfinished(cycle)).take(REREAD_BATCH));
    }

    /** Tracked sessions re-read by their {@code Href}; an unreadable answer is that session's own XML, parked alone. */
    FetchedPage reread(Cycle cycle, List<SessionSnapshot> batch) {
        EmClient client = ems.client(cycle.emId());
        List<JobSession> sessions = new ArrayList<>(batch.size());
        List<ParkedSession> unreadable = new ArrayList<>();
        for (SessionSnapshot tracked : batch) {
            String goneKey = cycle.emId() + "/" + tracked.uid();
            try {
                SessionResponse r = retry.call(cycle.emId(), "re-read", () -> client.getSession(tracked.href()));
                notFound.remove(goneKey);
                sessions.add(r.session());
            } catch (EmRequestException e) {
                if (e.kind() == FailureKind.MALFORMED) {
                    unreadable.add(new ParkedSession(cycle.emId(), e.kind().name(), e.request(), tracked.uid(),
                            e.body(), e.getMessage())); // that session's own answer, parked alone
                } else if (e.status() == 404) {
                    notFound(cycle, tracked, goneKey);
                } else {
                    throw e;
                }
            }
        }
        return FetchedPage.rereads("GET " + batch.size() + " tracked session(s) by Href", sessions, unreadable);
    }

    private void notFound(Cycle cycle, SessionSnapshot tracked, String goneKey) {
        int times = notFound.merge(goneKey, 1, Integer::sum);
        if (times >= GONE_AFTER) {
            notFound.remove(goneKey);
            store.forget(cycle.emId(), List.of(tracked.uid()));
            LOG.warn("EM {}: tracked running session {} answered 404 {} times in a row; no longer tracked (state {}, last change seen {})",
                    cycle.emId(), tracked.uid(), times, tracked.state(), tracked.lastChanged());
        } else {
            LOG.info("EM {}: tracked running session {} answered 404 ({} of {} before it is no longer tracked)",
                    cycle.emId(), tracked.uid(), times, GONE_AFTER);
        }
    }
}
