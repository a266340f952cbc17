package dev.vse.em;

import java.util.Objects;

/**
 * A query-service request for sessions: {@code GET /api/query?type=..&format=Entities&filter=..&sortAsc=..&pageSize=..}.
 * Immutable; the {@code with*} methods return copies. A {@code pageSize} of 0 means "the client's configured page size".
 *
 * @param type     the query type
 * @param filter   EM filter expression (see {@link EmFilter}), may be null
 * @param sortAsc  field to sort ascending by, may be null
 * @param pageSize rows per page, 0 for the client default
 */
public record SessionQuery(Type type, String filter, String sortAsc, int pageSize) {
    /** Query types this client reads. */
    public enum Type { BackupJobSession, ReplicaJobSession, BackupTaskSession }

    public SessionQuery {
        Objects.requireNonNull(type, "type");
        if (pageSize < 0) {
            throw new IllegalArgumentException("pageSize must be >= 0");
        }
    }

    public static SessionQuery of(Type type) {
        return new SessionQuery(type, null, null, 0);
    }

    public SessionQuery withFilter(String f) { return new SessionQuery(type, f, sortAsc, pageSize); }
    public SessionQuery withSortAsc(String field) { return new SessionQuery(type, filter, field, pageSize); }
    public SessionQuery withPageSize(int size) { return new SessionQuery(type, filter, sortAsc, size); }
}
