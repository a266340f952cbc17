package dev.vse.detect;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * What the pipeline remembers between cycles, per EM server: one {@link SessionSnapshot} per
 * session UID, the query watermark per session type, and whether the initial load is done.
 * Snapshots are committed only after Kafka acknowledged the records they imply, so a crash leads to
 * re-publication (same {@code ce_id}), never to loss. Implementations are thread-safe.
 */
public interface StateStore extends AutoCloseable {

    Optional<SessionSnapshot> get(String emId, String uid);

    /** Stores the snapshots; durable when it returns. Cost follows {@code snapshots.size()}, not the store size. */
    void commit(String emId, Collection<SessionSnapshot> snapshots);

    /** Sessions of this type whose State is not {@code Stopped}: they must be re-read until they stop. */
    List<SessionSnapshot> unfinished(String emId, String sessionType);

    /** Where the next cycle's query window starts ({@code CreationTime >= watermark}), if known. */
    Optional<Instant> watermark(String emId, String sessionType);

    void commitWatermark(String emId, String sessionType, Instant watermark);

    /** Whether the first cycle against this EM has been committed (the initial-load policy is then over). */
    boolean hasBaseline(String emId);

    void markBaseline(String emId);

    /** Number of tracked sessions. */
    int size(String emId);

    /** Forgets Stopped sessions that ended before {@code stoppedBefore} (sessions without EndTime: last change). */
    void prune(String emId, Instant stoppedBefore);

    @Override
    void close();
}
