package dev.vse.pipeline;

import dev.vse.em.EmRequestException;
import dev.vse.model.JobSession;
import dev.vse.model.RejectedSession;
import java.util.List;

/**
 * What one EM request brought back: the sessions that could be read and the ones that could not (each with its
 * own XML), or, for a response unreadable as a whole, the failure (the raw body is in it).
 *
 * @param request  method and URL, never a credential
 * @param raw      the body as received (null when nothing was received)
 * @param sessions readable sessions, in document order
 * @param rejected session elements that could not be read, each parked alone
 * @param failure  set when the response as a whole is unreadable; it is then parked whole
 * @param ofWindow a page of the cycle's query window (not a re-read by Href): parked whole, it keeps the window
 */
public record FetchedPage(String request, byte[] raw, List<JobSession> sessions, List<RejectedSession> rejected,
                          EmRequestException failure, boolean ofWindow) {

    /** A page of the query window that could be read. */
    public static FetchedPage page(String request, byte[] raw, List<JobSession> sessions, List<RejectedSession> rejected) {
        return new FetchedPage(request, raw, sessions, rejected, null, true);
    }

    /** A page of the query window unreadable as a whole. */
    public static FetchedPage unreadablePage(EmRequestException failure) {
        return new FetchedPage(failure.request(), failure.body(), List.of(), List.of(), failure, true);
    }

    /** A tracked session re-read by its Href: its readable answer, or (failure set) its unreadable one. */
    public static FetchedPage reread(String request, byte[] raw, JobSession session) {
        return new FetchedPage(request, raw, List.of(session), List.of(), null, false);
    }

    public static FetchedPage unreadableReread(EmRequestException failure) {
        return new FetchedPage(failure.request(), failure.body(), List.of(), List.of(), failure, false);
    }

    /** Nothing to do: a tracked session EM no longer has. */
    public static FetchedPage empty(String request) {
        return new FetchedPage(request, null, List.of(), List.of(), null, false);
    }

    public boolean readable() {
        return failure == null;
    }
}
