package dev.vse.em;

import dev.vse.model.JobSession;
import dev.vse.model.PagingInfo;
import dev.vse.model.RejectedSession;
import dev.vse.model.SessionPage;
import java.util.List;

/**
 * One page of a query-service answer, read session by session: the raw response (for dead-lettering), the
 * sessions that could be read and those that could not.
 *
 * @param page     the 1-based page number that was requested
 * @param response the raw answer
 * @param result   the page as read
 */
public record QueryPage(int page, EmResponse response, SessionPage result) {
    /** Readable job sessions (backup and replica) on this page, in EM's order. */
    public List<JobSession> sessions() {
        return result.sessions();
    }

    /** Session elements that could not be read, each with its own XML. */
    public List<RejectedSession> rejected() {
        return result.rejected();
    }

    /** No session element at all (readable or not): the query has no more rows. */
    public boolean isEmpty() {
        return result.sessionElements() == 0;
    }

    /** {@code PagingInfo/@PagesCount}, or 1 when EM sent no paging info. */
    public int pagesCount() {
        PagingInfo info = result.pagingInfo();
        return info == null || info.getPagesCount() == null ? 1 : info.getPagesCount();
    }
}
