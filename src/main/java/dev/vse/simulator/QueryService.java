package dev.vse.simulator;

import dev.vse.model.BackupJobSession;
import dev.vse.model.BackupJobSessions;
import dev.vse.model.BackupTaskSession;
import dev.vse.model.BackupTaskSessions;
import dev.vse.model.Entities;
import dev.vse.model.Link;
import dev.vse.model.Links;
import dev.vse.model.PagingInfo;
import dev.vse.model.QueryResult;
import dev.vse.model.Ref;
import dev.vse.model.ReplicaJobSession;
import dev.vse.model.ReplicaJobSessions;
import dev.vse.model.ReplicaTaskSession;
import dev.vse.model.ReplicaTaskSessions;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;

/**
 * {@code GET /api/query}: type, format, filter, sortAsc/sortDesc, pageSize, page. Filtered and sorted row lists are
 * cached per (type, filter, sort, snapshot epoch), so paging through 100k sessions filters and sorts once.
 */
final class QueryService {
    /** A 400 answer with a message. */
    static final class BadQuery extends RuntimeException {
        BadQuery(String m) {
            super(m);
        }
    }

    private record Key(String type, String filter, String sort, boolean desc, long epoch) { }

    private final int defaultPageSize;
    private final Map<Key, List<?>> cache = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Key, List<?>> eldest) {
            return size() > 32;
        }
    };

    QueryService(int defaultPageSize) {
        this.defaultPageSize = defaultPageSize;
    }

    /** Answers a query over {@code snap}; {@code params} keys are lower-case. */
    QueryResult query(Map<String, String> params, Snapshot snap, Representations rep, String base) {
        String type = canonicalType(params.get("type"));
        String format = params.get("format");
        boolean entities = format != null && format.equalsIgnoreCase("entities");
        if (format != null && !entities && !format.equalsIgnoreCase("references")) {
            throw new BadQuery("unknown format '" + format + "' (use Entities or references)");
        }
        if (params.containsKey("sortasc") && params.containsKey("sortdesc")) {
            throw new BadQuery("use either sortAsc or sortDesc, not both");
        }
        boolean desc = params.containsKey("sortdesc");
        String sort = desc ? params.get("sortdesc") : params.get("sortasc");
        String filter = params.get("filter");
        int pageSize = positive(params.get("pagesize"), defaultPageSize, "pageSize");
        int page = positive(params.get("page"), 1, "page");

        List<?> rows = rows(type, filter, sort, desc, snap);
        int total = rows.size();
        int pagesCount = Math.max(1, (total + pageSize - 1) / pageSize);
        int from = (int) Math.min((long) (page - 1) * pageSize, total);
        int to = (int) Math.min((long) from + pageSize, total);
        List<?> pageRows = rows.subList(from, to);

        QueryResult result = new QueryResult();
        if (entities) {
            result.setEntities(entities(type, pageRows, rep));
        } else {
            result.setRefs(refs(type, pageRows, rep));
        }
        String sortField = sort == null ? null : canonicalField(type, sort);
        String link = base + "/query?type=" + type + (format == null ? "" : "&format=" + (entities ? "Entities" : "References"))
                + (filter == null ? "" : "&filter=" + encode(filter))
                + (sortField == null ? "" : (desc ? "&sortDesc=" : "&sortAsc=") + sortField)
                + "&pageSize=" + pageSize + "&page=";
        List<Link> links = new ArrayList<>();
        links.add(new Link("First", null, link + 1, null));
        links.add(new Link("Last", null, link + pagesCount, null));
        if (page > 1) {
            links.add(new Link("Previous", null, link + Math.min(page - 1, pagesCount), null));
        }
        if (page < pagesCount) {
            links.add(new Link("Next", null, link + (page + 1), null));
        }
        result.setPagingInfo(new PagingInfo(page, pageSize, pagesCount, new Links(links)));
        return result;
    }

    private List<?> rows(String type, String filter, String sort, boolean desc, Snapshot snap) {
        Key key = new Key(type, filter == null ? "" : filter, sort == null ? "" : sort.toLowerCase(Locale.ROOT), desc, snap.epoch);
        synchronized (cache) {
            List<?> hit = cache.get(key);
            if (hit != null) {
                return hit;
            }
        }
        List<?> rows;
        if (isTask(type)) {
            List<QueryTypes.TaskRow> all = "ReplicaTaskSession".equals(type) ? snap.replicaTasks : snap.tasks;
            List<String> owners = jobSessionUids(filter);
            if (owners != null) {
                // (JobSessionUid=="a",JobSessionUid=="b",...): only those sessions' tasks are candidates (an index,
                // as EM's database has one); the filter and sort still decide. Not cached: cheap, and many distinct.
                List<QueryTypes.TaskRow> candidates = new ArrayList<>();
                for (String uid : new java.util.LinkedHashSet<>(owners)) {
                    for (QueryTypes.TaskRow r : snap.tasksOf(uid)) {
                        if (r.job().isReplica() == "ReplicaTaskSession".equals(type)) {
                            candidates.add(r);
                        }
                    }
                }
                return select(candidates, QueryTypes.TASK_FIELDS, filter, sort, desc, r -> r.task().uid());
            }
            rows = select(all, QueryTypes.TASK_FIELDS, filter, sort, desc, r -> r.task().uid());
        } else {
            rows = select(snap.sessions.stream().filter(s -> s.getSessionType().equals(type)).toList(),
                    QueryTypes.JOB_FIELDS, filter, sort, desc, SimSession::uid);
        }
        synchronized (cache) {
            cache.put(key, rows);
        }
        return rows;
    }

    private static boolean isTask(String type) {
        return "BackupTaskSession".equals(type) || "ReplicaTaskSession".equals(type);
    }

    private static final java.util.regex.Pattern UID_TERM = java.util.regex.Pattern.compile(
            "\\s*JobSessionUid\\s*==\\s*\"((?:[^\"]|\"\")*)\"\\s*", java.util.regex.Pattern.CASE_INSENSITIVE);

    /** The UIDs of a filter that is only an OR of {@code JobSessionUid=="..."} terms (parenthesised or not), else null. */
    static List<String> jobSessionUids(String filter) {
        if (filter == null) {
            return null;
        }
        String f = filter.strip();
        if (f.startsWith("(") && f.endsWith(")")) {
            f = f.substring(1, f.length() - 1);
        }
        List<String> uids = new ArrayList<>();
        java.util.regex.Matcher m = UID_TERM.matcher(f);
        int at = 0;
        while (at <= f.length()) {
            m.region(at, f.length());
            if (!m.lookingAt()) {
                return null;
            }
            uids.add(m.group(1).replace("\"\"", "\""));
            at = m.end();
            if (at == f.length()) {
                return uids;
            }
            if (f.charAt(at) != ',') {
                return null;
            }
            at++;
        }
        return null;
    }

    private static <T> List<T> select(List<T> all, Map<String, QueryField<T>> fields, String filter, String sort, boolean desc,
            java.util.function.Function<T, String> uid) {
        Predicate<T> p;
        try {
            p = new FilterParser<>(fields).parse(filter);
        } catch (FilterException e) {
            throw new BadQuery(e.getMessage());
        }
        List<T> out = new ArrayList<>();
        for (T row : all) {
            if (p.test(row)) {
                out.add(row);
            }
        }
        if (sort != null) {
            QueryField<T> f = fields.get(sort.toLowerCase(Locale.ROOT));
            if (f == null) {
                throw new BadQuery("unknown sort field '" + sort + "'");
            }
            Comparator<T> c = desc ? f.rowComparator().reversed() : f.rowComparator();
            out.sort(c.thenComparing(uid));
        }
        return List.copyOf(out);
    }

    private static Entities entities(String type, List<?> rows, Representations rep) {
        Entities e = new Entities();
        switch (type) {
            case "BackupJobSession": {
                List<BackupJobSession> l = new ArrayList<>();
                rows.forEach(r -> l.add((BackupJobSession) rep.sessionEntity((SimSession) r)));
                e.setBackupJobSessions(new BackupJobSessions(l));
                break;
            }
            case "ReplicaJobSession": {
                List<ReplicaJobSession> l = new ArrayList<>();
                rows.forEach(r -> l.add((ReplicaJobSession) rep.sessionEntity((SimSession) r)));
                e.setReplicaJobSessions(new ReplicaJobSessions(l));
                break;
            }
            case "ReplicaTaskSession": {
                List<ReplicaTaskSession> l = new ArrayList<>();
                rows.forEach(r -> {
                    QueryTypes.TaskRow t = (QueryTypes.TaskRow) r;
                    l.add(rep.replicaTaskEntity(t.job(), t.task()));
                });
                e.setReplicaTaskSessions(new ReplicaTaskSessions(l));
                break;
            }
            default: {
                List<BackupTaskSession> l = new ArrayList<>();
                rows.forEach(r -> {
                    QueryTypes.TaskRow t = (QueryTypes.TaskRow) r;
                    l.add(rep.taskEntity(t.job(), t.task()));
                });
                e.setBackupTaskSessions(new BackupTaskSessions(l));
            }
        }
        return e;
    }

    private static List<Ref> refs(String type, List<?> rows, Representations rep) {
        List<Ref> l = new ArrayList<>();
        for (Object r : rows) {
            if (r instanceof SimSession) {
                l.add(rep.sessionRef((SimSession) r, false));
            } else {
                QueryTypes.TaskRow t = (QueryTypes.TaskRow) r;
                l.add(rep.taskRef(t.job(), t.task(), false));
            }
        }
        return l;
    }

    static String canonicalType(String type) {
        if (type == null || type.isBlank()) {
            throw new BadQuery("query parameter 'type' is required");
        }
        for (String t : List.of("BackupJobSession", "ReplicaJobSession", "BackupTaskSession", "ReplicaTaskSession")) {
            if (t.equalsIgnoreCase(type.trim())) {
                return t;
            }
        }
        throw new BadQuery("unknown or unsupported query type '" + type + "' (simulated: BackupJobSession, ReplicaJobSession, BackupTaskSession, ReplicaTaskSession)");
    }

    private static String canonicalField(String type, String field) {
        Map<String, ? extends QueryField<?>> fields = isTask(type) ? QueryTypes.TASK_FIELDS : QueryTypes.JOB_FIELDS;
        QueryField<?> f = fields.get(field.toLowerCase(Locale.ROOT));
        return f == null ? field : f.name();
    }

    private static int positive(String v, int dflt, String name) {
        if (v == null) {
            return dflt;
        }
        try {
            int n = Integer.parseInt(v.trim());
            if (n < 1) {
                throw new BadQuery("'" + name + "' must be greater than 0: " + v);
            }
            return n;
        } catch (NumberFormatException e) {
            throw new BadQuery("'" + name + "' is not a number: " + v);
        }
    }

    /** Percent-encodes like EM's paging links: {@code >=}, {@code "}, {@code :} encoded; {@code ;} kept literal. */
    static String encode(String s) {
        StringBuilder sb = new StringBuilder();
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xFF);
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || "-._~;".indexOf(c) >= 0) {
                sb.append(c);
            } else {
                sb.append('%').append(String.format("%02X", b & 0xFF));
            }
        }
        return sb.toString();
    }
}
