package dev.vse.model;

import java.util.List;

/**
 * A page of job sessions read session by session ({@link EmXml#readSessions(byte[])}): the sessions that were
 * readable and valid, in document order, and the session elements that were not, each with its own XML.
 *
 * @param pagingInfo the query service's {@code <PagingInfo>}, or null when the document has none (session lists
 *                   and single entities never have one)
 * @param sessions   readable sessions in document order (backup and replica sessions alike); never null
 * @param rejected   session elements that could not be unmarshalled or violate the model, in document order;
 *                   never null
 */
public record SessionPage(PagingInfo pagingInfo, List<JobSession> sessions, List<RejectedSession> rejected) {

    public SessionPage {
        sessions = List.copyOf(sessions);
        rejected = List.copyOf(rejected);
    }

    /** How many session elements the document held, readable or not. */
    public int sessionElements() {
        return sessions.size() + rejected.size();
    }
}
