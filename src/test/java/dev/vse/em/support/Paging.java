package dev.vse.em.support;

import dev.vse.em.EmClient;
import dev.vse.em.QueryPage;
import dev.vse.em.SessionQuery;
import dev.vse.model.JobSession;
import java.util.ArrayList;
import java.util.List;

/** Test-side paging: the production code pages in the pipeline, one {@link EmClient#queryPage} at a time. */
public final class Paging {
    private static final int MAX_PAGES = 10_000;

    private Paging() { }

    /** Every job session of {@code q}, in answer order: pages 1..PagesCount (read from each answer), up to an empty page. */
    public static List<JobSession> allSessions(EmClient client, SessionQuery q) {
        List<JobSession> all = new ArrayList<>();
        int pages = 1;
        for (int page = 1; page <= pages && page <= MAX_PAGES; page++) {
            QueryPage p = client.queryPage(q, page);
            if (p.sessions().isEmpty()) {
                break;
            }
            all.addAll(p.sessions());
            pages = p.pagesCount();
        }
        return all;
    }
}
