package dev.vse.pipeline;

import dev.vse.model.JobSession;
import java.util.List;

/**
 * What one EM request brought back: the sessions, or the raw bytes and the reason they could not be
 * read (the page is then parked in the DLQ by the shared error handling).
 */
public record FetchedPage(String emId, String request, byte[] raw, List<JobSession> sessions, RuntimeException error) {

    public static FetchedPage ok(String emId, String request, byte[] raw, List<JobSession> sessions) {
        return new FetchedPage(emId, request, raw, sessions, null);
    }

    public static FetchedPage unreadable(String emId, String request, byte[] raw, RuntimeException error) {
        return new FetchedPage(emId, request, raw, List.of(), error);
    }

    public boolean readable() {
        return error == null;
    }
}
