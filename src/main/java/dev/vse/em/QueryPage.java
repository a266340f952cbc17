package dev.vse.em;

import dev.vse.model.JobSession;
import dev.vse.model.PagingInfo;
import dev.vse.model.QueryResult;
import java.util.List;

/**
 * One page of a query-service answer: the raw response (for dead-lettering) and its parsed form.
 *
 * @param page     the 1-based page number that was requested
 * @param response the raw answer
 * @param result   the parsed {@code QueryResult}
 */
public record QueryPage(int page, EmResponse response, QueryResult result) {
    /** Job sessions (backup and replica) on this page. */
    public List<JobSession> sessions() {
        return result.jobSessions();
    }

    /** {@code PagingInfo/@PagesCount}, or 1 when EM sent no paging info. */
    public int pagesCount() {
        PagingInfo info = result.getPagingInfo();
        return info == null || info.getPagesCount() == null ? 1 : info.getPagesCount();
    }
}
