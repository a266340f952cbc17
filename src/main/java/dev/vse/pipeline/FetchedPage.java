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
 * @param unreadableRereads re-reads by Href whose answer could not be read, each parked alone with its body
 * @param failure  set when the response as a whole is unreadable; it is then parked whole
 */
public record FetchedPage(String request, byte[] raw, List<JobSession> sessions, List<RejectedSession> rejected,
                          List<ParkedSession> unreadableRereads, EmRequestException failure) {

    /** A page of the query window that could be read. */
    public static FetchedPage page(String request, byte[] raw, List<JobSession> sessions, List<RejectedSession> rejected) {
        return new FetchedPage(request, raw, sessions, rejected, List.of(), null);
    }

    /** A page of the query window unreadable as a whole. */
    public static FetchedPage unreadablePage(EmRequestException failure) {
        return new FetchedPage(failure.request(), failure.body(), List.of(), List.of(), List.of(), failure);
    }

    /** Tracked sessions re-read by their Href, as one page: no raw body of its own (each answer was one session). */
    public static FetchedPage rereads(String request, List<JobSession> sessions, List<ParkedSession> unreadable) {
        return new FetchedPage(request, null, sessions, List.of(), unreadable, null);
    }

    public boolean readable() {
        return failure == null;
    }
}
