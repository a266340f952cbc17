package dev.vse.pipeline;

import dev.vse.enrich.TaskEnrichment;
import dev.vse.event.SessionEvent;
import dev.vse.event.TaskOutcome;
import java.util.ArrayList;
import java.util.List;
import org.apache.camel.ExchangeProperty;

/**
 * The page step between detection and job incidents: failed and warning records get their task sessions
 * ({@link TaskEnrichment}). A record that the tasks would make too large for Kafka keeps only the tasks that need
 * attention, or, still too large, none (with {@code tasksError} saying so): enrichment never makes a record
 * unpublishable.
 */
public final class EnrichStage {
    private final TaskEnrichment enrichment;
    private final EventRecords build;

    public EnrichStage(TaskEnrichment enrichment, EventRecords build) {
        this.enrichment = enrichment;
        this.build = build;
    }

    public DetectedPage enrich(@ExchangeProperty(DetectedPage.PROPERTY) DetectedPage page) {
        List<SessionEvent> enriched = enrichment.enrich(page.cycle().emId(), page.sessions(), page.events());
        if (enriched == page.events()) {
            return page;
        }
        List<SessionEvent> fitted = new ArrayList<>(enriched.size());
        for (SessionEvent e : enriched) {
            fitted.add(e.tasks() == null ? e : fit(e));
        }
        return page.withEvents(fitted, build);
    }

    private SessionEvent fit(SessionEvent e) {
        if (EventRecords.size(build.of(e)) <= ChangeStage.MAX_RECORD_BYTES) {
            return e;
        }
        List<TaskOutcome> attention = e.tasks().stream().filter(TaskOutcome::needsAttention).toList();
        SessionEvent fewer = e.withTasks(attention, null);
        if (attention.size() < e.tasks().size() && EventRecords.size(build.of(fewer)) <= ChangeStage.MAX_RECORD_BYTES) {
            return fewer;
        }
        return e.withTasks(null, e.tasks().size() + " task sessions left out: the record would exceed "
                + ChangeStage.MAX_RECORD_BYTES + " bytes");
    }
}
