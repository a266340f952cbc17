package dev.vse.pipeline;

import static dev.vse.em.EmFilter.and;
import static dev.vse.em.EmFilter.ge;
import static dev.vse.em.EmFilter.in;
import static dev.vse.em.EmFilter.ne;
import static dev.vse.em.EmFilter.notIn;
import static dev.vse.em.EmFilter.or;

import dev.vse.app.AppConfig.EmSource;
import dev.vse.detect.SessionStates;
import dev.vse.detect.StateStore;
import dev.vse.em.SessionQuery;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.camel.Header;

/**
 * Plans the cycles of one EM: one per session type, each with its query window.
 *
 * <p>The window is what makes a steady cycle cost what changed rather than the whole history: it asks
 * EM for sessions created or ended since the previous cycle started (minus a lag margin that covers EM's
 * collection job, 15 min by default), plus every session not yet {@code Stopped}. The first cycle against
 * an EM reads back {@code initialLookback} instead.
 */
public final class PollPlanner {
    /** Header carrying the EM id through the poll routes. */
    public static final String EM_HEADER = "vse.em";

    private final EmClients ems;
    private final StateStore store;
    private final Duration lagMargin;
    private final Duration initialLookback;
    private final Clock clock;

    public PollPlanner(EmClients ems, StateStore store, Duration lagMargin, Duration initialLookback, Clock clock) {
        this.ems = ems;
        this.store = store;
        this.lagMargin = lagMargin;
        this.initialLookback = initialLookback;
        this.clock = clock;
    }

    /** The cycles to run now for {@code emId}, one per configured session type. */
    public List<Cycle> cycles(@Header(EM_HEADER) String emId) {
        EmSource em = ems.source(emId);
        Instant now = clock.instant();
        List<Cycle> cycles = new ArrayList<>();
        for (String type : em.sessionTypes()) {
            var watermark = store.watermark(emId, type);
            // whole seconds: EM documents filter dates as "2025-08-15T06:00:00Z"
            Instant from = watermark.map(w -> w.minus(lagMargin)).orElse(now.minus(initialLookback))
                    .truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
            SessionQuery q = SessionQuery.of(SessionQuery.Type.valueOf(type))
                    .withFilter(filter(em, from))
                    .withSortAsc("CreationTime")
                    .withPageSize(em.server().pageSize());
            cycles.add(new Cycle(em, type, q, now, watermark.isEmpty()));
        }
        return cycles;
    }

    /** {@code (created or ended since from, or still running)} and the job include/exclude lists. */
    static String filter(EmSource em, Instant from) {
        List<String> terms = new ArrayList<>();
        terms.add(or(ge("CreationTime", from), ge("EndTime", from), ne("State", SessionStates.STOPPED)));
        if (!em.jobTypesInclude().isEmpty()) {
            terms.add(in("JobType", em.jobTypesInclude()));
        }
        if (!em.jobTypesExclude().isEmpty()) {
            terms.add(notIn("JobType", em.jobTypesExclude()));
        }
        if (!em.jobNamesInclude().isEmpty()) {
            terms.add(in("JobName", em.jobNamesInclude()));
        }
        if (!em.jobNamesExclude().isEmpty()) {
            terms.add(notIn("JobName", em.jobNamesExclude()));
        }
        return terms.size() == 1 ? terms.get(0) : and(terms.toArray(String[]::new));
    }
}
