package dev.vse.em;

import dev.vse.model.BackupTaskSession;
import dev.vse.model.BackupTaskSessions;
import dev.vse.model.EnterpriseManager;
import dev.vse.model.EmXml;
import dev.vse.model.JobEntity;
import dev.vse.model.JobSession;
import dev.vse.model.Link;
import dev.vse.model.ReplicaJobSession;
import dev.vse.model.ReplicaTaskSessions;
import dev.vse.model.TaskSession;
import dev.vse.model.SessionPage;
import dev.vse.model.LogonSession;
import dev.vse.model.SupportedVersion;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.camel.CamelContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Client for one Veeam Enterprise Manager: the API calls this project makes. Authenticated GETs carry the
 * cached token and log on again once on 401; query-service paging is the caller's, one {@link #queryPage} at a
 * time; logout on {@link #close()}. Every response's {@code Date} header feeds {@link #clockSkew()}. Thread-safe.
 *
 * <p>HTTP (component {@code em-http-<id>}, TLS, timeouts, no cookies) is {@link EmHttp}'s; the token is
 * {@link EmLogon}'s.
 */
public final class EmClient implements AutoCloseable {
    /** EM's session token header. */
    public static final String TOKEN_HEADER = EmHttp.TOKEN_HEADER;
    private static final Logger LOG = LoggerFactory.getLogger(EmClient.class);

    private final EmServerConfig config;
    private final ClockSkew skew;
    private final EmHttp http;
    private final EmLogon logon;
    private volatile List<String> supportedVersions = List.of();
    private volatile boolean closed;

    /**
     * Registers the camel-http component {@code em-http-<id>} in {@code camel} and prepares its endpoint.
     *
     * @throws IllegalArgumentException when the TLS material of {@code config} cannot be read
     */
    public EmClient(CamelContext camel, EmServerConfig config) {
        this(camel, config, Clock.systemUTC());
    }

    /** As {@link #EmClient(CamelContext, EmServerConfig)}, measuring clock skew against {@code clock}. */
    public EmClient(CamelContext camel, EmServerConfig config, Clock clock) {
        this(camel, config, clock, EmRequestListener.NONE);
    }

    /** As {@link #EmClient(CamelContext, EmServerConfig, Clock)}; {@code listener} sees every request end (metrics). */
    public EmClient(CamelContext camel, EmServerConfig config, Clock clock, EmRequestListener listener) {
        this.config = config;
        this.skew = new ClockSkew(config.id(), clock);
        this.http = new EmHttp(camel, config, outcome -> skew.observe(outcome.date()), listener);
        this.logon = new EmLogon(http);
    }

    /** The configuration this client was built from. */
    public EmServerConfig config() { return config; }

    /** Name of the camel-http component registered for this EM. */
    public String componentName() { return http.componentName(); }

    /** API versions announced by the last {@link #apiRoot()} call, e.g. {@code [v1_5, v1_6, v1_7]}. */
    public List<String> supportedVersions() { return supportedVersions; }

    /**
     * EM's clock minus this host's (negative: EM is behind), from the {@code Date} header of the latest response
     * that had one, any status; empty before that. Resolution about a second.
     */
    public Optional<Duration> clockSkew() { return skew.latest(); }

    /** {@code GET /api/} without authentication; records the supported API versions. */
    public EnterpriseManager apiRoot() {
        EmResponse response = http.requireSuccess(http.execute("GET", config.baseUrl() + "/", Map.of()));
        EnterpriseManager root = http.parse(response, EnterpriseManager.class);
        List<String> versions = root.getSupportedVersions().stream().map(SupportedVersion::getName).toList();
        supportedVersions = versions;
        LOG.info("EM {}: API root reachable, supported versions {}", config.id(), versions);
        return root;
    }

    /** Logs on ({@code POST /sessionMngr/?v=latest}, Basic auth) and keeps the token. */
    public void logon() {
        logon.logon();
    }

    /** The current logon session (logs on if needed). */
    public LogonSession logonSession() {
        return logon.current().session();
    }

    /**
     * Authenticated GET of an EM link or a path below the base URL. On 401 logs on again once and repeats
     * the request once; a second 401 is an {@link FailureKind#AUTHENTICATION} failure.
     *
     * @param hrefOrPath an {@code Href} from EM, or a path such as {@code query}
     * @param query      extra query parameters (encoded here), may be empty
     * @return the 2xx response
     * @throws EmRequestException for any other outcome
     */
    public EmResponse get(String hrefOrPath, Map<String, String> query) {
        String url = EmUrls.withQuery(resolve(hrefOrPath), query);
        EmLogon.Token used = logon.current();
        EmHttp.Outcome raw = http.execute("GET", url, used.headers());
        if (raw.status() == 401) {
            // EM answers 401 for an expired token too (15 idle minutes), not only for a bad one
            LOG.info("EM {}: {} answered 401 (token expired?), logging on again", config.id(), raw.request());
            raw = http.execute("GET", url, logon.relogon(used).headers());
            if (raw.status() == 401) {
                throw http.failure(FailureKind.AUTHENTICATION, raw, "still 401 right after a fresh logon");
            }
        }
        return http.requireSuccess(raw);
    }

    /** One page (1-based) of a query-service answer in entity format; the caller pages up to its PagesCount. */
    public QueryPage queryPage(SessionQuery q, int page) {
        if (page < 1) {
            throw new IllegalArgumentException("page is 1-based, got " + page);
        }
        Map<String, String> params = new LinkedHashMap<>();
        params.put("type", q.type().name());
        params.put("format", "Entities");
        params.put("filter", q.filter());
        if (q.sortAsc() != null) {
            params.put("sortAsc", q.sortAsc());
        }
        params.put("pageSize", Integer.toString(q.pageSize() > 0 ? q.pageSize() : config.pageSize()));
        params.put("page", Integer.toString(page));
        EmResponse response = get("query", params);
        return new QueryPage(page, response, http.read(response, EmXml::readSessions));
    }

    /**
     * A single job session entity by its {@code Href} ({@code format=Entity} enforced), with the raw answer.
     *
     * @throws EmRequestException {@link FailureKind#MALFORMED} also when the body is XML but no job session
     */
    public SessionResponse getSession(String href) {
        EmResponse response = getEntity(href);
        SessionPage read = http.read(response, EmXml::readSessions);
        if (read.sessions().size() == 1) {
            return new SessionResponse(response, read.sessions().get(0));
        }
        String why = read.rejected().isEmpty() ? "expected a job session entity but the answer holds "
                + read.sessions().size() + " sessions" : read.rejected().get(0).reason();
        throw new EmRequestException(FailureKind.MALFORMED, config.id(), response.request(), response.status(),
                response.body(), why, null);
    }

    /** The task (per-VM) sessions of a backup job session: {@code {href}/taskSessions?format=Entity}. */
    public List<BackupTaskSession> taskSessions(String sessionHref) {
        return entities(below(sessionHref, "taskSessions"), BackupTaskSessions.class).getSessions();
    }

    /**
     * The task (per-VM) sessions of a job session, as entities: a backup session's through its
     * {@code Rel="Down" Type="BackupTaskSessionReferenceList"} link (else {@code {href}/taskSessions}), a replica
     * session's through {@code ReplicaTaskSessionReferenceList} (else {@code {href}/replicaTaskSessions}). One
     * request; only a 401 is repeated, once, after a fresh logon.
     *
     * @throws EmRequestException for any failure, {@link FailureKind#MALFORMED} also for another root element
     */
    public List<? extends TaskSession> taskSessions(JobSession session) {
        boolean replica = session instanceof ReplicaJobSession;
        String listType = replica ? "ReplicaTaskSessionReferenceList" : "BackupTaskSessionReferenceList";
        String href = Optional.ofNullable(session.getLinks()).flatMap(l -> l.find("Down", listType)).map(Link::getHref)
                .orElseGet(() -> below(session.getHref(), replica ? "replicaTaskSessions" : "taskSessions"));
        return replica ? entities(href, ReplicaTaskSessions.class).getSessions()
                : entities(href, BackupTaskSessions.class).getSessions();
    }

    /**
     * Job-session UIDs per task-session query ({@link #taskSessionsOf}). EM's REST service runs on HTTP.sys behind
     * URLs that should stay under about 2,000 characters; one {@code JobSessionUid=="urn:veeam:BackupJobSession:<uuid>"}
     * term is about 97 characters once percent-encoded (with its {@code ,}), so 16 of them make a filter of about
     * 1,560 characters, leaving room for the base URL and the other parameters.
     */
    public static final int TASK_QUERY_UIDS = 16;
    /** At most this many pages of one task-session query are read (at 500 rows a page: 50,000 task sessions). */
    static final int TASK_QUERY_MAX_PAGES = 100;

    /**
     * The task sessions of several job sessions of one kind (backup or replica), through the query service:
     * {@code GET query?type=BackupTaskSession|ReplicaTaskSession&format=Entities&filter=(JobSessionUid=="a",...)},
     * every page of it (sorted by {@code CreationTime}), grouped by {@code JobSessionUid}. Every UID asked for is a key
     * of the answer (with an empty list when EM has no task session for it); a task session EM lists twice across
     * pages is kept once. One request per page; only a 401 is repeated, once, after a fresh logon.
     *
     * @param replica        task sessions of replica job sessions ({@code ReplicaTaskSession}), else backup
     * @param jobSessionUids at most {@link #TASK_QUERY_UIDS} job-session UIDs
     * @throws EmRequestException for any failure; {@link FailureKind#PERMANENT} (4xx) also when this EM does not
     *                            serve the query type or field (the caller may read session by session then)
     */
    public Map<String, List<TaskSession>> taskSessionsOf(boolean replica, List<String> jobSessionUids) {
        if (jobSessionUids.isEmpty() || jobSessionUids.size() > TASK_QUERY_UIDS) {
            throw new IllegalArgumentException("1 to " + TASK_QUERY_UIDS + " job-session UIDs per task-session query, got "
                    + jobSessionUids.size());
        }
        Map<String, List<TaskSession>> byJobSession = new LinkedHashMap<>();
        Map<String, String> canonical = new java.util.HashMap<>();
        for (String uid : jobSessionUids) {
            byJobSession.putIfAbsent(uid, new java.util.ArrayList<>());
            canonical.putIfAbsent(uid.toLowerCase(java.util.Locale.ROOT), uid);
        }
        java.util.Set<String> seen = new java.util.HashSet<>();
        String filter = EmFilter.in("JobSessionUid", byJobSession.keySet());
        int pages = 1;
        for (int page = 1; page <= pages; page++) {
            Map<String, String> params = new LinkedHashMap<>();
            params.put("type", replica ? "ReplicaTaskSession" : "BackupTaskSession");
            params.put("format", "Entities");
            params.put("filter", filter);
            params.put("sortAsc", "CreationTime");
            params.put("pageSize", Integer.toString(config.pageSize()));
            params.put("page", Integer.toString(page));
            dev.vse.model.QueryResult result = http.parse(get("query", params), dev.vse.model.QueryResult.class);
            List<TaskSession> rows = result.getEntities() == null ? List.of() : result.getEntities().taskSessions();
            for (TaskSession t : rows) {
                String owner = t.getJobSessionUid() == null ? null
                        : canonical.get(t.getJobSessionUid().strip().toLowerCase(java.util.Locale.ROOT));
                if (owner != null && (t.getUid() == null || seen.add(t.getUid()))) {
                    byJobSession.get(owner).add(t);
                }
            }
            if (rows.isEmpty()) {
                break; // an empty page ends the answer, whatever PagesCount says
            }
            Integer count = result.getPagingInfo() == null ? null : result.getPagingInfo().getPagesCount();
            // bounded: 16 sessions' task sessions fill a few pages; an EM that ignored `page` must not make this endless
            pages = count == null ? 1 : Math.max(1, Math.min(count, TASK_QUERY_MAX_PAGES));
        }
        return byJobSession;
    }

    /**
     * A job entity by the job's {@code Href} (a session's {@link JobSession#jobHref()}), {@code format=Entity}
     * enforced: {@link dev.vse.model.Job}, {@link dev.vse.model.AgentBackupJob} or {@link dev.vse.model.NasJob}.
     *
     * @throws EmRequestException for any failure, {@link FailureKind#MALFORMED} also when the body is no job entity
     */
    public JobEntity job(String jobHref) {
        return entities(java.util.Objects.requireNonNull(jobHref, "jobHref"), JobEntity.class);
    }

    /** GET of {@code href} with {@code format=Entity} (replacing any format it has). */
    private EmResponse getEntity(String href) {
        return get(EmUrls.withoutParam(href, "format"), Map.of("format", "Entity"));
    }

    /** {@link #getEntity} parsed as {@code type}. */
    private <T> T entities(String href, Class<T> type) {
        return http.parse(getEntity(href), type);
    }

    /** {@code href} without its query, then {@code /part}. */
    private static String below(String href, String part) {
        String path = EmUrls.withoutQuery(href);
        return path + (path.endsWith("/") ? "" : "/") + part;
    }

    /**
     * Ends what still waits for EM: a request that has no answer yet (the running cycle was given its time by the
     * route's stop) is aborted at once rather than left to the read timeout, which would outlast a container's
     * stop grace. Nothing of such a request was committed; the next start reads it again. Idempotent.
     */
    public void abortWaiting() {
        int waiting = http.inFlight();
        if (waiting == 0 || http.aborted()) {
            return;
        }
        LOG.warn("EM {}: stopping while {} request(s) still wait for EM's answer: aborted (nothing of them was committed; "
                + "the next start reads them again)", config.id(), waiting);
        http.abort();
    }

    /**
     * Logs out ({@code DELETE /logonSessions/{SessionId}}, best effort; skipped once requests were aborted) and
     * unregisters the component.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (!http.aborted()) {
            logon.logout();
        }
        http.close();
    }

    private String resolve(String hrefOrPath) {
        try {
            return EmUrls.resolve(config.baseUrl(), hrefOrPath);
        } catch (IllegalArgumentException e) {
            throw new EmRequestException(FailureKind.PERMANENT, config.id(), "GET " + hrefOrPath, -1, null,
                    e.getMessage(), e);
        }
    }
}
