package dev.vse.simulator;

import java.time.Instant;
import java.util.PriorityQueue;
import java.util.function.Consumer;

/** Changes scheduled at instants, applied in time order (ties in scheduling order). Not thread-safe; callers lock. */
final class Timeline {
    private record Entry(Instant at, long seq, Consumer<SessionEstate> action) { }

    private final PriorityQueue<Entry> queue = new PriorityQueue<>((a, b) -> {
        int c = a.at().compareTo(b.at());
        return c != 0 ? c : Long.compare(a.seq(), b.seq());
    });
    private long seq;

    void schedule(Instant at, Consumer<SessionEstate> action) {
        queue.add(new Entry(at, seq++, action));
    }

    void runUntil(Instant t, SessionEstate estate) {
        while (!queue.isEmpty() && !queue.peek().at().isAfter(t)) {
            try {
                queue.poll().action().accept(estate);
            } catch (java.util.NoSuchElementException removedMeanwhile) {
                // a test removed the session; its remaining changes have nothing to apply to
            }
        }
    }

    int pending() {
        return queue.size();
    }
}
