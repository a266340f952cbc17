package dev.vse.detect;

import dev.vse.event.SessionEvent;
import java.util.List;

/**
 * The outcome of comparing one observed session with its snapshot.
 *
 * @param events  records to publish, in order (CHANGED first, then COMPLETED/FAILED); may be empty
 * @param next    the snapshot to commit once Kafka acknowledged {@code events}
 * @param changed {@code next} differs from the stored snapshot (or there was none), so it must be
 *                committed even when {@code events} is empty (e.g. progress-only change)
 */
public record Detection(List<SessionEvent> events, SessionSnapshot next, boolean changed) {
    public Detection {
        events = List.copyOf(events);
    }
}
