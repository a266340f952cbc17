package dev.vse.pipeline;

import dev.vse.detect.IncidentEntry;
import dev.vse.detect.SessionSnapshot;
import dev.vse.event.JobAlert;
import dev.vse.event.SessionEvent;
import dev.vse.model.JobSession;
import java.util.ArrayList;
import java.util.List;
import org.apache.camel.Message;

/**
 * One page after detection, carried through enrichment, job incidents, publish and commit as one value (exchange
 * property {@value #PROPERTY}): the records to send, the state that may be stored once Kafka acknowledged them,
 * and the sessions to park in the DLQ. Each stage returns a new value ({@link #withEvents}, {@link #withAlerts}).
 *
 * @param cycle     the cycle the page belongs to
 * @param request   the EM request that returned it
 * @param sessions  the page's readable sessions (what enrichment and job incidents look at)
 * @param events    the session events, in publication order
 * @param records   one Kafka record per event, in the same order (key = session UID, topic by event type); null for
 *                  an event replaced after detection, built by {@link #allRecords}
 * @param alerts    job alerts the page raised (key = job UID, the job alerts topic), published with its events
 * @param pending   snapshots to commit after the acknowledgement
 * @param incidents job incident changes to commit with them
 * @param parked    sessions that could not be processed
 */
public record DetectedPage(Cycle cycle, String request, List<JobSession> sessions, List<SessionEvent> events,
                           List<Message> records, List<JobAlert> alerts, List<SessionSnapshot> pending,
                           List<IncidentEntry> incidents, List<ParkedSession> parked) {
    /** Exchange property holding the page between detection and commit. */
    public static final String PROPERTY = "vse.page";

    public DetectedPage {
        if (events.size() != records.size()) {
            throw new IllegalArgumentException(events.size() + " events but " + records.size() + " records");
        }
    }

    /** Every record built (no null entry; {@code List.of(...).contains(null)} would throw). */
    private static boolean complete(List<Message> records) {
        for (Message m : records) {
            if (m == null) {
                return false;
            }
        }
        return true;
    }

    /** Nothing but job alerts and their incident changes (deadlines that passed at the end of a cycle). */
    public static DetectedPage alertsOnly(Cycle cycle, List<JobAlert> alerts, List<IncidentEntry> incidents) {
        return new DetectedPage(cycle, "job incident deadlines", List.of(), List.of(), List.of(), alerts, List.of(),
                incidents, List.of());
    }

    /**
     * The page with {@code replaced} events (same number, same order); the record of an event that changed is built
     * again, once, when the page's records are asked for ({@link #allRecords}: after enrichment and job incidents
     * both changed a failed record, it is still built only once more), the others are kept.
     */
    public DetectedPage withEvents(List<SessionEvent> replaced, EventRecords build) {
        return withEvents(replaced, null, build);
    }

    /**
     * As {@link #withEvents(List, EventRecords)}; {@code built} (may be null, or hold nulls) has the record of a
     * replaced event where the caller built it already.
     */
    public DetectedPage withEvents(List<SessionEvent> replaced, List<Message> built, EventRecords build) {
        if (replaced.size() != events.size()) {
            throw new IllegalArgumentException("expected " + events.size() + " events, got " + replaced.size());
        }
        List<Message> rebuilt = new ArrayList<>(records);
        for (int i = 0; i < replaced.size(); i++) {
            if (replaced.get(i) != events.get(i)) {
                rebuilt.set(i, built == null ? null : built.get(i)); // null: built by allRecords
            }
        }
        return new DetectedPage(cycle, request, sessions, List.copyOf(replaced), rebuilt, alerts, pending, incidents,
                parked);
    }

    /** The page with these job alerts and incident changes (in place of any before). */
    public DetectedPage withAlerts(List<JobAlert> newAlerts, List<IncidentEntry> newIncidents) {
        return new DetectedPage(cycle, request, sessions, events, records, List.copyOf(newAlerts), pending,
                List.copyOf(newIncidents), parked);
    }

    /** Everything to publish: the session records, then the job alerts. */
    public List<Message> allRecords(EventRecords build) {
        if (alerts.isEmpty() && complete(records)) {
            return records;
        }
        List<Message> all = new ArrayList<>(records.size() + alerts.size());
        for (int i = 0; i < records.size(); i++) {
            Message m = records.get(i);
            all.add(m != null ? m : build.of(events.get(i)));
        }
        alerts.forEach(a -> all.add(build.of(a)));
        return all;
    }

    /** Nothing to publish and nothing to store. */
    public boolean isEmpty() {
        return events.isEmpty() && alerts.isEmpty() && pending.isEmpty() && incidents.isEmpty() && parked.isEmpty();
    }
}
