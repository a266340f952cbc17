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
 */
public record FetchedPage(String request, byte[] raw, List<JobSession> sessions, List<RejectedSession> rejected,
                          EmRequestException failure) {

    public static FetchedPage read(String request, byte[] raw, List<JobSession> sessions, List<RejectedSession> rejected) {
        return new FetchedPage(request, raw, sessions, rejected, null);
    }

    public static FetchedPage unreadable(EmRequestException failure) {
        return new FetchedPage(failure.request(), failure.body(), List.of(), List.of(), failure);
    }

    /** Nothing to do: a tracked session EM no longer has. */
    public static FetchedPage empty(String request) {
        return new FetchedPage(request, null, List.of(), List.of(), null);
    }

    public boolean readable() {
        return failure == null;
    }
}
