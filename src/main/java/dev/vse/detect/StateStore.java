package dev.vse.detect;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the pipeline remembers between cycles, per EM server:
 * <ul>
 *   <li>one {@link SessionSnapshot} per tracked session UID;</li>
 *   <li>the query watermark per session type;</li>
 *   <li>the baseline instant {@code B} per session type: when the pipeline first started polling that
 *       session type of that EM (DESIGN.md, "Semantics"). A session whose {@code EndTimeUTC} is before
 *       {@code B} is history. {@code B} is recorded once and never moves.</li>
 *   <li>the open job incidents and pending retry deadlines (DESIGN.md, job alerts), one encoded state per job
 *       UID, opaque to the store: committed with the page that changed them.</li>
 * </ul>
 * Snapshots are committed only after Kafka acknowledged the records they imply, so a crash leads to
 * re-publication (same {@code ce_id}), never to loss. Every write is durable when it returns (for a
 * durable implementation). EMs are independent of each other. Implementations are thread-safe.
 */
public interface StateStore extends AutoCloseable {

    Optional<SessionSnapshot> get(String emId, String uid);

    /** Stores the snapshots; durable when it returns. Cost follows {@code snapshots.size()}, not the store size. */
    default void commit(String emId, Collection<SessionSnapshot> snapshots) {
        commit(emId, snapshots, List.of());
    }

    /**
     * Stores a page's snapshots and its job incident changes together; durable when it returns. Should the two not
     * be written at once, the incident changes are written first.
     */
    void commit(String emId, Collection<SessionSnapshot> snapshots, Collection<IncidentEntry> incidents);

    /** The job incidents of this EM that are open or pending: job UID to the state last committed. */
    Map<String, String> incidents(String emId);

    /** Sessions of this type whose State is not {@code Stopped}: they must be re-read until they stop. */
    List<SessionSnapshot> unfinished(String emId, String sessionType);

    /** Where the next cycle's query window starts ({@code CreationTime >= watermark}), if known. */
    Optional<Instant> watermark(String emId, String sessionType);

    void commitWatermark(String emId, String sessionType, Instant watermark);

    /**
     * The instant {@code B} at which the pipeline first started polling this session type of this EM,
     * empty until {@link #commitBaseline} recorded it. Sessions that ended before {@code B} are history.
     */
    Optional<Instant> baseline(String emId, String sessionType);

    /**
     * Records {@code B} for this session type of this EM; durable when it returns. The first value wins:
     * once a baseline is recorded, later calls (with any instant) change nothing, so {@code B} never moves.
     */
    void commitBaseline(String emId, String sessionType, Instant at);

    /** Number of tracked sessions. */
    int size(String emId);

    /**
     * Forgets Stopped sessions that ended before {@code stoppedBefore} (sessions without EndTime: last
     * change). A session whose State is not {@code Stopped} is never pruned, however old.
     */
    void prune(String emId, Instant stoppedBefore);

    /**
     * Stops tracking these sessions (e.g. EM answered 404 for them repeatedly): they are no longer
     * returned by {@link #get}, {@link #unfinished} or counted by {@link #size}. Durable when it returns;
     * UIDs that are not tracked are ignored.
     */
    void forget(String emId, Collection<String> uids);

    /**
     * This instance no longer owns {@code emId} (clustered: another instance leads it now): let go of what it holds
     * for that EM (the file store closes its files and drops its folder lock; the Kafka store closes its producer and
     * forgets what it read). Its next use opens it again, from what the owner meanwhile stored.
     */
    default void release(String emId) {
    }

    /**
     * True when the publish step writes a page's state together with its records (the Kafka store: one transaction),
     * so that the commit after publishing must not write it again.
     */
    default boolean writesWithRecords() {
        return false;
    }

    @Override
    void close();
}
