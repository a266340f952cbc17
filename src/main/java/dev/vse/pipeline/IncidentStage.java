package dev.vse.pipeline;

import dev.vse.detect.StateStore;
import dev.vse.incident.JobIncidents;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.apache.camel.ExchangeProperty;

/**
 * Job incidents in the page flow ({@link JobIncidents}): after enrichment, each page's failures and recoveries move
 * its jobs' incidents, and the alerts go out in the page's Kafka batch; at the end of a cycle that read its whole
 * window, the deadlines that passed open their incidents. The incident states commit with the page, after Kafka's
 * acknowledgement.
 */
public final class IncidentStage {
    private final JobIncidents incidents;
    private final StateStore store;
    private final EmClients ems;
    private final EventRecords build;
    private final Clock clock;

    public IncidentStage(JobIncidents incidents, StateStore store, EmClients ems, EventRecords build, Clock clock) {
        this.incidents = incidents;
        this.store = store;
        this.ems = ems;
        this.build = build;
        this.clock = clock;
    }

    /** A page in, the page with its job alerts (and the failed records saying whether a retry is pending) out. */
    public DetectedPage assess(@ExchangeProperty(DetectedPage.PROPERTY) DetectedPage page) {
        Cycle cycle = page.cycle();
        JobIncidents.Outcome o = incidents.assess(cycle.emId(), cycle.em().server().baseUrl(), page.sessions(),
                page.events(), store.incidents(cycle.emId()), clock.instant());
        if (o.raisedNothing() && o.events().equals(page.events())) {
            return page;
        }
        return page.withEvents(o.events(), build).withAlerts(o.alerts(), o.changes());
    }

    /**
     * The incidents whose retry deadline passed, as a page of alerts to publish and commit; empty after a cycle that
     * did not read its whole window (a sweep, or a response parked whole), where a retry may have gone unseen.
     */
    public DetectedPage due(@ExchangeProperty(PageFetcher.CYCLE) Cycle cycle) {
        if (cycle.kind() != Cycle.Kind.REGULAR || cycle.windowKept()) {
            return DetectedPage.alertsOnly(cycle, java.util.List.of(), java.util.List.of());
        }
        Duration skew = ems.client(cycle.emId()).clockSkew().map(Duration::abs).orElse(Duration.ZERO);
        Instant now = cycle.start().minus(skew);
        String emId = cycle.emId();
        JobIncidents.Outcome o = incidents.due(emId, cycle.em().server().baseUrl(), cycle.sessionType(),
                store.incidents(emId), now, uid -> store.get(emId, uid).isPresent());
        return DetectedPage.alertsOnly(cycle, o.alerts(), o.changes());
    }
}
