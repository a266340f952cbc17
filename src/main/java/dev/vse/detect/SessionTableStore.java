package dev.vse.detect;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The reads every {@link StateStore} answers from the same in-memory {@link SessionTable} of an EM (the stores
 * differ in how they load it and where they write it): each store says where the table of an EM is.
 */
abstract class SessionTableStore implements StateStore {

    /** The table of {@code emId}, loaded if need be. */
    abstract SessionTable table(String emId);

    @Override
    public Optional<SessionSnapshot> get(String emId, String uid) {
        return table(emId).get(uid);
    }

    @Override
    public Map<String, String> incidents(String emId) {
        return table(emId).incidents();
    }

    @Override
    public List<SessionSnapshot> unfinished(String emId, String sessionType) {
        return table(emId).unfinished(sessionType);
    }

    @Override
    public Optional<Instant> watermark(String emId, String sessionType) {
        return table(emId).watermark(sessionType);
    }

    @Override
    public Optional<Instant> baseline(String emId, String sessionType) {
        return table(emId).baseline(sessionType);
    }

    @Override
    public int size(String emId) {
        return table(emId).size();
    }
}
