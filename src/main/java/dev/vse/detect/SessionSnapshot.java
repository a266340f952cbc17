package dev.vse.detect;

import java.time.Instant;
import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * What the pipeline remembers about one session between cycles: the last observed values that
 * were acknowledged by Kafka, plus whether its completed/failed record has been published.
 *
 * @param emId              configured id of the EM server
 * @param uid               session UID ({@code urn:veeam:BackupJobSession:<guid>}), the key
 * @param sessionType       {@code BackupJobSession}, {@code ReplicaJobSession}, ...
 * @param isRetry           may be null when EM omitted it
 * @param terminalPublished the completed/failed record for this session was acknowledged by Kafka
 *                          (or deliberately suppressed by the initial-load policy)
 * @param lastChanged       when a tracked field last changed, as seen by the detector
 */
public record SessionSnapshot(String emId, String uid, String sessionType, String href,
                              String jobUid, String jobName, String jobType, String backupServer,
                              Instant creationTime, Instant endTime, String state, String result,
                              Integer progress, Boolean isRetry, boolean terminalPublished,
                              Instant lastChanged) {

    public SessionSnapshot {
        Objects.requireNonNull(emId, "emId");
        Objects.requireNonNull(uid, "uid");
    }

    /** {@code State != Stopped}: the session may still change and must be re-read. */
    public boolean isRunning() {
        return !SessionStates.isStopped(state);
    }

    /** The same snapshot with its low-cardinality strings canonicalised (saves heap for big stores). */
    SessionSnapshot canonical(UnaryOperator<String> pool) {
        return new SessionSnapshot(pool.apply(emId), uid, pool.apply(sessionType), href,
                pool.apply(jobUid), pool.apply(jobName), pool.apply(jobType), pool.apply(backupServer),
                creationTime, endTime, pool.apply(state), pool.apply(result), progress, isRetry,
                terminalPublished, lastChanged);
    }
}
