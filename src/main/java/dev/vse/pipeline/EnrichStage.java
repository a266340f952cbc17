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
        for (int i = 0; i < enriched.size(); i++) {
            SessionEvent e = enriched.get(i);
            fitted.add(e.tasks() == null ? e : fit(e, page.records().get(i)));
        }
        return page.withEvents(fitted, build);
    }

    /**
     * {@code e} with as many of its tasks as Kafka takes. {@code without} is the event's record as detected (no tasks),
     * or null: when its size plus an upper bound of what the tasks add stays within the limit, nothing is built here
     * (the record is built once, when the page is published).
     */
    private SessionEvent fit(SessionEvent e, org.apache.camel.Message without) {
        if (without != null && (long) EventRecords.size(without) + upperBound(e.tasks()) <= ChangeStage.MAX_RECORD_BYTES) {
            return e;
        }
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

    /**
     * At least what {@code tasks} add to the JSON of a record: per task its field names and punctuation (under 120
     * characters) and its values, each character at most 6 bytes once escaped ({@code \\u0000}).
     */
    static long upperBound(List<TaskOutcome> tasks) {
        long n = 16;
        for (TaskOutcome t : tasks) {
            n += 120 + 6L * (len(t.name()) + len(t.status()) + len(t.reason()) + len(t.state()) + len(t.uid()) + 40);
        }
        return n;
    }

    private static int len(String s) {
        return s == null ? 4 : s.length();
    }
}
