package dev.vse.em;

import dev.vse.model.BackupTaskSession;
import dev.vse.model.BackupTaskSessions;
import dev.vse.model.EmError;
import dev.vse.model.EmXml;
import dev.vse.model.EnterpriseManager;
import dev.vse.model.JobSession;
import dev.vse.model.LogonSession;
import dev.vse.model.MalformedXmlException;
import dev.vse.model.QueryResult;
import dev.vse.model.SupportedVersion;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.component.http.HttpComponent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Client for one Veeam Enterprise Manager: logon with a cached token, authenticated GETs with one
 * re-logon on 401, query-service paging, logout on {@link #close()}. Thread-safe.
 *
 * <p>HTTP goes through a camel-http component registered as {@code em-http-<id>}, configured for
 * this EM only: its TLS, its timeouts, no automatic retries, no redirects, and cookie management
 * disabled. EM hands out the token both as {@code X-RestSvcSessionId} header and as cookie, and a
 * cookie beats the header (helpcenter.veeam.com em_rest {@code http_authentication.html}); a stored,
 * expired cookie would therefore keep every request failing after a re-logon.
 */
public final class EmClient implements AutoCloseable {
    /** EM's session token header. */
    public static final String TOKEN_HEADER = "X-RestSvcSessionId";
    private static final Logger LOG = LoggerFactory.getLogger(EmClient.class);
    private static final int MAX_PAGES = 10_000;

    private final CamelContext camel;
    private final EmServerConfig config;
    private final String componentName;
    private final Endpoint endpoint;
    private final ProducerTemplate producer;
    private final Object logonLock = new Object();
    private volatile Auth auth;
    private volatile List<String> supportedVersions = List.of();
    private volatile boolean closed;

    /** A logon: the token (never logged) and EM's {@code LogonSession}. */
    private record Auth(String token, LogonSession session) { }

    /** One HTTP exchange's outcome; {@code token} is the response's token header, if any. */
    private record Raw(String request, int status, byte[] body, String contentType, String token) { }

    /**
     * Registers the camel-http component {@code em-http-<id>} in {@code camel} and prepares its endpoint.
     *
     * @throws IllegalArgumentException when the TLS material of {@code config} cannot be read
     */
    public EmClient(CamelContext camel, EmServerConfig config) {
        this.camel = camel;
        this.config = config;
        this.componentName = "em-http-" + config.id().replaceAll("[^A-Za-z0-9-]", "-").toLowerCase();
        EmTls tls = EmTls.from(config);
        camel.addComponent(componentName, component(config, tls));
        String address = config.baseUrl().replaceFirst("^https?://", "");
        this.endpoint = camel.getEndpoint(componentName + "://" + address + "?throwExceptionOnFailure=false");
        this.producer = camel.createProducerTemplate();
        LOG.info("EM {}: client for {} ({}; connect timeout {}, read timeout {})", config.id(), config.baseUrl(),
                tls.description(), config.connectTimeout(), config.readTimeout());
    }

    private static HttpComponent component(EmServerConfig config, EmTls tls) {
        HttpComponent c = new HttpComponent();
        c.setCookieManagementDisabled(true); // EM quirk: a stale token cookie would beat the fresh header
        c.setAutomaticRetriesDisabled(true); // retry policy belongs to the caller, per failure kind
        c.setRedirectHandlingDisabled(true);
        c.setFollowRedirects(false);
        c.setCopyHeaders(false);             // response message = response headers only
        c.setUseGlobalSslContextParameters(false);
        c.setSslContextParameters(tls.sslContextParameters());
        c.setX509HostnameVerifier(tls.hostnameVerifier());
        long connect = config.connectTimeout().toMillis();
        long read = config.readTimeout().toMillis();
        c.setConnectTimeout(connect);
        c.setConnectionRequestTimeout(connect);
        c.setSoTimeout(read);
        c.setResponseTimeout(read);
        c.setMaxTotalConnections(8);
        c.setConnectionsPerRoute(4);
        return c;
    }

    /** The configuration this client was built from. */
    public EmServerConfig config() { return config; }

    /** Name of the camel-http component registered for this EM. */
    public String componentName() { return componentName; }

    /** API versions announced by the last {@link #apiRoot()} call, e.g. {@code [v1_5, v1_6, v1_7]}. */
    public List<String> supportedVersions() { return supportedVersions; }

    /** {@code GET /api/} without authentication; records the supported API versions. */
    public EnterpriseManager apiRoot() {
        Raw raw = execute("GET", config.baseUrl() + "/", Map.of());
        EmResponse response = requireSuccess(raw);
        EnterpriseManager root = parse(response, EnterpriseManager.class);
        List<String> versions = root.getSupportedVersions().stream().map(SupportedVersion::getName).toList();
        supportedVersions = versions;
        LOG.info("EM {}: API root reachable, supported versions {}", config.id(), versions);
        return root;
    }

    /** Logs on ({@code POST /sessionMngr/?v=latest}, Basic auth) and keeps the token. */
    public void logon() {
        synchronized (logonLock) {
            auth = doLogon();
        }
    }

    /** The current logon session (logs on if needed). */
    public LogonSession logonSession() {
        return currentAuth().session();
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
        Auth used = currentAuth();
        Raw raw = execute("GET", url, Map.of(TOKEN_HEADER, used.token()));
        if (raw.status() == 401) {
            LOG.info("EM {}: {} answered 401 (token expired?), logging on again", config.id(), raw.request());
            Auth fresh = relogon(used);
            raw = execute("GET", url, Map.of(TOKEN_HEADER, fresh.token()));
            if (raw.status() == 401) {
                throw failure(FailureKind.AUTHENTICATION, raw, "still 401 right after a fresh logon");
            }
        }
        return requireSuccess(raw);
    }

    /** One page (1-based) of a query-service answer in entity format. */
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
        } else if (q.sortDesc() != null) {
            params.put("sortDesc", q.sortDesc());
        }
        params.put("pageSize", Integer.toString(q.pageSize() > 0 ? q.pageSize() : config.pageSize()));
        params.put("page", Integer.toString(page));
        EmResponse response = get("query", params);
        return new QueryPage(page, response, parse(response, QueryResult.class));
    }

    /**
     * Every job session matching {@code q}: pages 1..PagesCount (read from each answer), stopping early on an
     * empty page. A session seen on two pages (rows shifting while paging) is kept once, last copy wins.
     */
    public List<JobSession> queryAll(SessionQuery q) {
        Map<String, JobSession> byUid = new LinkedHashMap<>();
        int pages = 1;
        for (int page = 1; page <= pages && page <= MAX_PAGES; page++) {
            QueryPage p = queryPage(q, page);
            if (p.sessions().isEmpty()) {
                break;
            }
            p.sessions().forEach(s -> byUid.put(s.getUid() == null ? s.getHref() : s.getUid(), s));
            pages = p.pagesCount();
        }
        return new ArrayList<>(byUid.values());
    }

    /** A single job session entity by its {@code Href} ({@code format=Entity} enforced). */
    public JobSession getSession(String href) {
        EmResponse response = get(EmUrls.withoutParam(href, "format"), Map.of("format", "Entity"));
        Object root = parse(response, Object.class);
        if (root instanceof JobSession session) {
            return session;
        }
        throw new EmRequestException(FailureKind.MALFORMED, config.id(), response.request(), response.status(),
                response.body(), "expected a job session but got <" + root.getClass().getSimpleName() + ">", null);
    }

    /** The task (per-VM) sessions of a backup job session: {@code {href}/taskSessions?format=Entity}. */
    public List<BackupTaskSession> taskSessions(String sessionHref) {
        String path = EmUrls.withoutQuery(sessionHref);
        EmResponse response = get(path + (path.endsWith("/") ? "" : "/") + "taskSessions", Map.of("format", "Entity"));
        return parse(response, BackupTaskSessions.class).getSessions();
    }

    /** Logs out ({@code DELETE /logonSessions/{SessionId}}, best effort) and unregisters the component. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        Auth last;
        synchronized (logonLock) {
            last = auth;
            auth = null;
        }
        if (last != null && last.session().getSessionId() != null) {
            logout(last);
        }
        closed = true;
        try {
            producer.close();
        } catch (Exception e) {
            LOG.debug("EM {}: closing producer template: {}", config.id(), e.toString());
        }
        try {
            camel.removeEndpoints(componentName + ":*");
        } catch (Exception e) {
            LOG.debug("EM {}: removing endpoints: {}", config.id(), e.toString());
        }
        camel.removeComponent(componentName);
    }

    private void logout(Auth last) {
        String url = config.baseUrl() + "/logonSessions/" + EmUrls.encode(last.session().getSessionId());
        try {
            Raw raw = execute("DELETE", url, Map.of(TOKEN_HEADER, last.token()));
            if (raw.status() / 100 == 2) {
                LOG.info("EM {}: logged out", config.id());
            } else {
                LOG.warn("EM {}: logout {} answered HTTP {}", config.id(), raw.request(), raw.status());
            }
        } catch (EmRequestException e) {
            LOG.warn("EM {}: logout failed: {}", config.id(), e.getMessage());
        }
    }

    private Auth currentAuth() {
        Auth a = auth;
        if (a != null) {
            return a;
        }
        synchronized (logonLock) {
            if (auth == null) {
                auth = doLogon();
            }
            return auth;
        }
    }

    /** Logs on again unless another thread already replaced the token that failed. */
    private Auth relogon(Auth failed) {
        synchronized (logonLock) {
            if (auth != null && auth != failed) {
                return auth;
            }
            auth = doLogon();
            return auth;
        }
    }

    private Auth doLogon() {
        if (config.username() == null || config.password() == null) {
            throw new IllegalStateException("EM " + config.id() + ": no credentials configured");
        }
        String basic = Base64.getEncoder().encodeToString(
                (config.username() + ":" + config.password()).getBytes(StandardCharsets.UTF_8));
        Map<String, String> headers = Map.of("Authorization", "Basic " + basic);
        Raw raw = execute("POST", config.baseUrl() + "/sessionMngr/?v=latest", headers);
        if (raw.status() == 401) {
            throw failure(FailureKind.AUTHENTICATION, raw, "credentials of user '" + config.username() + "' refused");
        }
        EmResponse response = requireSuccess(raw);
        if (raw.token() == null || raw.token().isBlank()) {
            throw failure(FailureKind.MALFORMED, raw, "logon answered without " + TOKEN_HEADER + " header");
        }
        LogonSession session = parse(response, LogonSession.class);
        LOG.info("EM {}: logged on as '{}'", config.id(), config.username());
        return new Auth(raw.token(), session);
    }

    private String resolve(String hrefOrPath) {
        try {
            return EmUrls.resolve(config.baseUrl(), hrefOrPath);
        } catch (IllegalArgumentException e) {
            throw new EmRequestException(FailureKind.PERMANENT, config.id(), "GET " + hrefOrPath, -1, null,
                    e.getMessage(), e);
        }
    }

    /** Sends one request through the camel-http endpoint; transport failures become {@link EmRequestException}. */
    private Raw execute(String method, String url, Map<String, String> headers) {
        if (closed) {
            throw new IllegalStateException("EM " + config.id() + ": client is closed");
        }
        String request = EmUrls.describe(method, url);
        Exchange exchange = producer.send(endpoint, ex -> {
            Message in = ex.getIn();
            in.setHeader(Exchange.HTTP_METHOD, method);
            in.setHeader(Exchange.HTTP_URI, url);
            in.setHeader("Accept", "application/xml");
            headers.forEach(in::setHeader);
            // POST with an explicit empty entity sends Content-Length: 0 (IIS/WCF may insist on it)
            in.setBody("POST".equals(method) ? new byte[0] : null);
        });
        Exception error = exchange.getException();
        if (error != null) {
            EmRequestException failure = new EmRequestException(FailureClassifier.classify(error), config.id(), request,
                    -1, null, FailureClassifier.describe(error), error);
            LOG.debug(failure.getMessage()); // the caller reports it, once
            throw failure;
        }
        Message out = exchange.getMessage();
        Integer status = out.getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class);
        byte[] body = out.getBody(byte[].class);
        return new Raw(request, status == null ? -1 : status, body == null ? new byte[0] : body,
                out.getHeader(Exchange.CONTENT_TYPE, String.class), out.getHeader(TOKEN_HEADER, String.class));
    }

    private EmResponse requireSuccess(Raw raw) {
        if (raw.status() / 100 != 2) {
            throw failure(FailureClassifier.classifyStatus(raw.status()), raw, null);
        }
        return new EmResponse(config.id(), raw.request(), raw.status(), raw.body(), raw.contentType());
    }

    private EmRequestException failure(FailureKind kind, Raw raw, String detail) {
        String emMessage = errorMessage(raw.body());
        String text = detail == null ? "" : detail;
        if (emMessage != null) {
            text = text.isEmpty() ? "EM says \"" + emMessage + "\"" : text + "; EM says \"" + emMessage + "\"";
        }
        EmRequestException e = new EmRequestException(kind, config.id(), raw.request(), raw.status(),
                raw.body(), text.isEmpty() ? null : text, null);
        LOG.debug(e.getMessage());
        return e;
    }

    private static String errorMessage(byte[] body) {
        if (body == null || body.length == 0) {
            return null;
        }
        try {
            String m = EmXml.unmarshal(body, EmError.class).getMessage();
            return m == null ? null : m.replaceAll("\\s+", " ").trim();
        } catch (MalformedXmlException e) {
            return null;
        }
    }

    private <T> T parse(EmResponse response, Class<T> type) {
        try {
            return type == Object.class ? type.cast(EmXml.unmarshal(response.body()))
                    : EmXml.unmarshal(response.body(), type);
        } catch (MalformedXmlException e) {
            EmRequestException failure = new EmRequestException(FailureKind.MALFORMED, config.id(), response.request(),
                    response.status(), response.body(), e.getMessage(), e);
            LOG.debug(failure.getMessage());
            throw failure;
        }
    }
}
