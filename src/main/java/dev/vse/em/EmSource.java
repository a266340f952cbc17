package dev.vse.em;

import java.util.ArrayList;
import java.util.List;

/**
 * One EM server and what to poll on it: its connection ({@link EmServerConfig}), the session types, and the
 * job include/exclude lists pushed down into EM's query filter.
 */
public record EmSource(EmServerConfig server, List<String> sessionTypes, List<String> jobTypesInclude,
                       List<String> jobTypesExclude, List<String> jobNamesInclude, List<String> jobNamesExclude) {
    /** The configured id ({@code EM_ID}, {@code em.N.id}): {@code emServer} in events, the state folder, the {@code ce_id}. */
    public String id() {
        return server.id();
    }

    /** The job include/exclude lists as EM filter terms, to be ANDed with a query's window (empty lists: none). */
    public List<String> jobFilterTerms() {
        List<String> terms = new ArrayList<>(4);
        if (!jobTypesInclude.isEmpty()) {
            terms.add(EmFilter.in("JobType", jobTypesInclude));
        }
        if (!jobTypesExclude.isEmpty()) {
            terms.add(EmFilter.notIn("JobType", jobTypesExclude));
        }
        if (!jobNamesInclude.isEmpty()) {
            terms.add(EmFilter.in("JobName", jobNamesInclude));
        }
        if (!jobNamesExclude.isEmpty()) {
            terms.add(EmFilter.notIn("JobName", jobNamesExclude));
        }
        return terms;
    }
}
