package dev.vse.alert;

import dev.vse.event.JobAlert;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the compacted job alerts topic says now: per record key (job UID) its latest record, as compaction keeps it.
 * An incident is open while its job's latest record is {@code failed}. Records may arrive twice and out of order
 * (the start-up read of the whole topic and the group's consumer run side by side): a record applies only if it
 * is newer, by offset within its partition, than what is known of its key. Thread-safe.
 */
public final class Incidents {
    /**
     * The known state of one job.
     *
     * @param latest   its latest record; null after a tombstone (the producer deleted the job's alert state)
     * @param lastOpen the latest {@code failed} record of it, for the labels of its resolution; null when never seen
     */
    public record State(JobAlert latest, JobAlert lastOpen, int partition, long offset) {
        public boolean open() {
            return latest != null && latest.isFailed();
        }
    }

    private final Map<String, State> byKey = new HashMap<>();

    /**
     * Applies the record at {@code partition}/{@code offset} with key {@code key}; {@code alert} null for a tombstone.
     * Returns false (and changes nothing) when a newer record of that key is already known.
     */
    public synchronized boolean apply(String key, int partition, long offset, JobAlert alert) {
        State known = byKey.get(key);
        if (known != null && known.partition() == partition && known.offset() >= offset) {
            return false;
        }
        JobAlert lastOpen = alert != null && alert.isFailed() ? alert : known == null ? null : known.lastOpen();
        byKey.put(key, new State(alert, lastOpen, partition, offset));
        return true;
    }

    public synchronized Optional<State> get(String key) {
        return Optional.ofNullable(byKey.get(key));
    }

    /** Keys of the open incidents, in no particular order. */
    public synchronized List<String> openKeys() {
        List<String> out = new ArrayList<>();
        byKey.forEach((k, s) -> {
            if (s.open()) {
                out.add(k);
            }
        });
        return out;
    }

    public synchronized int openCount() {
        return (int) byKey.values().stream().filter(State::open).count();
    }
}
