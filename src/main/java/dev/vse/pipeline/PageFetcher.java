package dev.vse.pipeline;

import dev.vse.detect.SessionSnapshot;
import dev.vse.detect.StateStore;
import dev.vse.em.EmClient;
import dev.vse.em.EmRequestException;
import dev.vse.em.FailureKind;
import dev.vse.em.QueryPage;
import dev.vse.model.JobSession;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.camel.ExchangeProperty;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Talks to EM for a cycle: every page of the query (lazily, so the split processes page k before page
 * k+1 is asked for), and then, by {@code Href}, the tracked sessions that are still running but no
 * longer in the query's answer. A retriable failure is retried {@code retries} times with a growing pause;
 * after that it ends the cycle and the next cycle starts again from page 1 — a page is never skipped.
 */
public final class PageFetcher {
    /** Exchange property holding the {@link Cycle} of the current poll. */
    public static final String CYCLE = "vse.cycle";
    /** Exchange property holding the {@link FetchedPage} being processed. */
    public static final String PAGE = "vse.page";
    private static final Logger LOG = LoggerFactory.getLogger(PageFetcher.class);
    private static final int MAX_REREADS_PER_CYCLE = 500;

    private final EmClients ems;
    private final StateStore store;
    private final int retries;
    private final Duration retryPause;

    public PageFetcher(EmClients ems, StateStore store, int retries, Duration retryPause) {
        this.ems = ems;
        this.store = store;
        this.retries = retries;
        this.retryPause = retryPause;
    }

    /** Pages 1..PagesCount of the cycle's query, fetched one at a time as the split asks for them. */
    public Iterator<FetchedPage> pages(@ExchangeProperty(CYCLE) Cycle cycle) {
        EmClient client = ems.client(cycle.emId());
        return new Iterator<>() {
            private int next = 1;
            private int pagesCount = Integer.MAX_VALUE;

            @Override
            public boolean hasNext() {
                return !cycle.isAborted() && next <= pagesCount;
            }

            @Override
            public FetchedPage next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                int page = next++;
                try {
                    QueryPage p = withRetries(cycle, () -> client.queryPage(cycle.query(), page));
                    pagesCount = Math.max(1, p.pagesCount());
                    cycle.pageRead();
                    if (p.sessions().isEmpty()) {
                        pagesCount = Math.min(pagesCount, page); // safety net: an empty page ends the query
                    }
                    return FetchedPage.ok(cycle.emId(), p.response().request(), p.response().body(), p.sessions());
                } catch (EmRequestException e) {
                    if (e.kind() != FailureKind.MALFORMED) {
                        cycle.abort();
                        throw e;
                    }
                    if (pagesCount == Integer.MAX_VALUE) {
                        pagesCount = page; // the page count is unknown: stop after parking this page
                    }
                    return FetchedPage.unreadable(cycle.emId(), e.request(), e.body(), e);
                }
            }
        };
    }

    /** Tracked sessions of this type that are not Stopped and were not in this cycle's answer. */
    public List<String> unfinished(@ExchangeProperty(CYCLE) Cycle cycle) {
        if (cycle.isAborted()) {
            return List.of();
        }
        return store.unfinished(cycle.emId(), cycle.sessionType()).stream()
                .filter(s -> !cycle.seen().contains(s.uid()))
                .map(SessionSnapshot::href)
                .filter(h -> h != null && !h.isBlank())
                .limit(MAX_REREADS_PER_CYCLE)
                .toList();
    }

    /** One session re-read by its {@code Href}. */
    public FetchedPage session(@ExchangeProperty(CYCLE) Cycle cycle, String href) {
        EmClient client = ems.client(cycle.emId());
        try {
            JobSession s = withRetries(cycle, () -> client.getSession(href)).session();
            return FetchedPage.ok(cycle.emId(), "GET " + href, null, List.of(s));
        } catch (EmRequestException e) {
            if (e.kind() == FailureKind.MALFORMED) {
                return FetchedPage.unreadable(cycle.emId(), e.request(), e.body(), e);
            }
            if (e.status() == 404) {
                LOG.warn("EM {}: tracked running session {} is gone from EM (404); it will be asked for again next cycle",
                        cycle.emId(), href);
                return FetchedPage.ok(cycle.emId(), e.request(), null, List.of());
            }
            cycle.abort();
            throw e;
        }
    }

    private <T> T withRetries(Cycle cycle, java.util.function.Supplier<T> call) {
        for (int attempt = 0; ; attempt++) {
            try {
                return call.get();
            } catch (EmRequestException e) {
                if (!e.isRetriable() || attempt >= retries) {
                    throw e;
                }
                LOG.warn("EM {}: {} (attempt {} of {}, retrying)", cycle.emId(), e.getMessage(), attempt + 1, retries + 1);
                pause(retryPause.multipliedBy(attempt + 1L));
            }
        }
    }

    private static void pause(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting to retry", e);
        }
    }
}
