package dev.vse.simulator;

import dev.vse.util.Durations;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.vse.model.EmXml;
import dev.vse.model.LogonSessions;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A fake Veeam Backup Enterprise Manager REST API (XML, namespace {@code http://www.veeam.com/ent/v1.0}) served by
 * the JDK's HTTP server: logon sessions with idle expiry, the query service, backup/replica/task session resources,
 * job resources with their retry policy, {@code <Error>} bodies, EM's collection lag and injectable faults. See {@code docs/simulator.md}.
 */
public final class EmSimulator implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EmSimulator.class);
    static final String TOKEN = "X-RestSvcSessionId";
    private static final Duration COLLECTION_RETENTION = Duration.ofDays(30);

    static {
        // the JDK server writes headers and body apart; with Nagle on, each small answer waited for the client's
        // delayed ACK (~40 ms), which made re-reads by Href 20x slower than a real EM. Read once by the JDK, so
        // before the first server starts; an explicit setting wins.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
    }

    private final SimulatorOptions options;
    private final SimClock clock;
    private final HttpServer server;
    private final ExecutorService executor;
    private final SessionEstate estate = new SessionEstate();
    private final FaultPlan faults;
    private final TokenStore tokens;
    private final Collector collector;
    private final QueryService queries;
    private final String scheme;
    private final AtomicLong requestCount = new AtomicLong();
    private final AtomicLong bytesServed = new AtomicLong();
    private final Map<String, AtomicLong> requestsByPath = new java.util.concurrent.ConcurrentHashMap<>();
    private volatile java.util.function.BiConsumer<String, String> observer = (user, path) -> { };

    private EmSimulator(SimulatorOptions o) throws IOException {
        this.options = o;
        this.clock = o.effectiveClock();
        Instant start = clock.now();
        EstateDriver driver = null;
        if (o.scenario != null) {
            driver = Scenario.load(o.scenario, start);
        } else if (o.generator != null) {
            driver = new SessionGenerator(o.generator, start);
        }
        this.faults = new FaultPlan(o.faults);
        this.tokens = new TokenStore(o.tokenIdleTimeout);
        this.collector = new Collector(estate, driver, clock, start, o.collectionLag);
        this.collector.current();
        this.queries = new QueryService(o.defaultPageSize);
        InetSocketAddress address = new InetSocketAddress(o.bindHost, o.port);
        if (o.keyStore != null) {
            HttpsServer https = HttpsServer.create(address, 128);
            https.setHttpsConfigurator(new HttpsConfigurator(sslContext(o)));
            this.server = https;
            this.scheme = "https";
        } else {
            this.server = HttpServer.create(address, 128);
            this.scheme = "http";
        }
        this.executor = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "em-simulator");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    /** Starts a simulator; the estate is generated or scripted per the options. */
    public static EmSimulator start(SimulatorOptions options) throws IOException {
        EmSimulator sim = new EmSimulator(options);
        LOG.info("EM simulator at {} (user '{}'; {}; collection lag {}; faults {}{})", sim.baseUrl(), options.user,
                sim.estate.summary(), Durations.format(options.collectionLag), options.faults,
                options.clockOffset.isZero() ? "" : "; clock offset " + Durations.format(options.clockOffset));
        return sim;
    }

    /** e.g. {@code http://127.0.0.1:40123/api}. */
    public String baseUrl() {
        String host = options.bindHost.equals("0.0.0.0") ? "localhost" : options.bindHost;
        return scheme + "://" + host + ":" + port() + "/api";
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** The live data; mutate it directly (visible through the API per the collection lag). */
    public SessionEstate estate() {
        return estate;
    }

    /** The faults in force; change them at runtime. */
    public FaultPlan faults() {
        return faults;
    }

    public long requestCount() {
        return requestCount.get();
    }

    /** Requests so far whose path (without query) contains {@code part}, case-insensitively. */
    public long requestsTo(String part) {
        String p = part.toLowerCase(Locale.ROOT);
        return requestsByPath.entrySet().stream().filter(e -> e.getKey().contains(p)).mapToLong(e -> e.getValue().get()).sum();
    }

    public long bytesServed() {
        return bytesServed.get();
    }

    /**
     * Test hook: {@code observer} sees every accepted logon and every authenticated request, with the user name as the
     * client sent it (the name is compared ignoring case, so clients can be told apart by its case) and the path.
     */
    public void observe(java.util.function.BiConsumer<String, String> observer) {
        this.observer = observer == null ? (user, path) -> { } : observer;
    }

    /** Test hook: every token issued so far becomes invalid (next use → 401). */
    public void expireAllTokens() {
        tokens.invalidateAll();
    }

    /** Applies due scenario/generator changes now (requests do this by themselves). */
    public void refresh() {
        collector.current();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    // ------------------------------------------------------------------ dispatch

    private void handle(HttpExchange ex) throws IOException {
        requestCount.incrementAndGet();
        requestsByPath.computeIfAbsent(ex.getRequestURI().getRawPath().toLowerCase(Locale.ROOT), k -> new AtomicLong())
                .incrementAndGet();
        if (!options.onWallClock()) {
            DateHeader.pin(ex, clock); // every answer carries the simulator's time, errors and 204 included
        }
        try (InputStream in = ex.getRequestBody()) {
            in.readAllBytes();
        }
        try {
            route(ex);
        } catch (EmError e) {
            sendError(ex, e.status, e.getMessage());
        } catch (QueryService.BadQuery e) {
            sendError(ex, 400, e.getMessage());
        } catch (ConnectionReset e) {
            throw e;
        } catch (RuntimeException e) {
            LOG.warn("simulator bug on {} {}", ex.getRequestMethod(), ex.getRequestURI(), e);
            sendError(ex, 500, "Simulator error: " + e);
        } finally {
            ex.close();
        }
    }

    /** Thrown to make the JDK server close the connection without a response. */
    private static final class ConnectionReset extends RuntimeException {
        ConnectionReset() {
            super("simulated connection reset", null, false, false);
        }
    }

    private void route(HttpExchange ex) throws IOException {
        String path = ex.getRequestURI().getRawPath();
        String lower = path.toLowerCase(Locale.ROOT);
        if (lower.length() > 1 && lower.endsWith("/")) {
            lower = lower.substring(0, lower.length() - 1);
            path = path.substring(0, path.length() - 1);
        }
        String method = ex.getRequestMethod().toUpperCase(Locale.ROOT);
        Map<String, String> params = params(ex.getRequestURI().getRawQuery());
        String base = base(ex);
        if (lower.equals("/api")) {
            requireMethod(method, "GET");
            send(ex, 200, EmXml.marshal(new Representations(base).enterpriseManager()), FaultPlan.Kind.NONE);
            return;
        }
        if (lower.equals("/api/sessionmngr")) {
            requireMethod(method, "POST");
            logon(ex, params, base);
            return;
        }
        if (!lower.startsWith("/api/")) {
            throw new EmError(404, "Resource not found: " + path);
        }
        TokenStore.Logon logon = authenticate(ex);
        observer.accept(logon.user, lower);
        String[] seg = path.substring(5).split("/");
        String[] low = lower.substring(5).split("/");
        if (low[0].equals("logonsessions")) {
            logonSessions(ex, method, seg, low, base);
            return;
        }
        requireMethod(method, "GET");
        // a query counts as "<path>?type=<type>" for path failures: "tasksession" hits the task-session queries too
        Integer pathStatus = faults.pathFailure(low[0].equals("query") && params.get("type") != null
                ? lower + "?type=" + params.get("type").toLowerCase(Locale.ROOT) : lower);
        if (pathStatus != null) {
            faults.count("path");
            throw new EmError(pathStatus, EmError.reason(pathStatus));
        }
        FaultPlan.Fault fault = faults.next();
        faults.count(fault);
        switch (fault.kind()) {
            case STATUS:
                throw new EmError(fault.status(), EmError.reason(fault.status()));
            case RESET:
                throw new ConnectionReset();
            case DELAY:
                sleep(faults.delay());
                break;
            case BODY:
                sendExactly(ex, fault.status(), fault.body());
                return;
            default:
                break;
        }
        Snapshot snap = collector.current();
        Representations rep = new Representations(base);
        Object body = data(low, seg, params, snap, rep, base);
        byte[] xml = EmXml.marshal(body);
        if (faults.unknownElements()) {
            xml = Mangler.withUnknownElements(xml);
            faults.count("unknownElements");
        }
        xml = Mangler.withCorruptSessions(xml, faults.corruptSessions());
        if (low[0].equals("query")) {
            // before the answer goes out: a client that sends the next page as soon as it has this one must meet a dead token
            int limit = faults.expireTokenAfterPages();
            if (limit > 0 && logon.queryPages.incrementAndGet() >= limit) {
                tokens.invalidate(logon);
                faults.count("tokenExpired");
            }
        }
        send(ex, 200, xml, fault.kind());
    }

    private Object data(String[] low, String[] seg, Map<String, String> params, Snapshot snap, Representations rep, String base) {
        boolean entity = "entity".equalsIgnoreCase(params.get("format"));
        switch (low[0]) {
            case "query":
                if (low.length > 1) {
                    break;
                }
                return queries.query(params, snap, rep, base);
            case "backupsessions":
            case "replicasessions":
                return Resources.sessions(low, seg, entity, snap, rep, retentionStart());
            case "backuptasksessions":
            case "replicatasksessions":
                return Resources.tasks(low, seg, entity, snap, rep, retentionStart());
            case "jobs":
                return orNotFound(JobResources.jobs(Representations.JobRoot.JOB, low, seg, entity, snap, rep, retentionStart()), seg);
            case "agents":
            case "nas":
                if (low.length > 1 && low[1].equals("jobs")) {
                    Representations.JobRoot root = low[0].equals("agents") ? Representations.JobRoot.AGENT : Representations.JobRoot.NAS;
                    return orNotFound(JobResources.jobs(root, java.util.Arrays.copyOfRange(low, 1, low.length),
                            java.util.Arrays.copyOfRange(seg, 1, seg.length), entity, snap, rep, retentionStart()), seg);
                }
                break;
            default:
                break;
        }
        throw new EmError(404, "Resource not found: /api/" + String.join("/", seg));
    }

    private static Object orNotFound(Object body, String[] seg) {
        if (body == null) {
            throw new EmError(404, "Resource not found: /api/" + String.join("/", seg));
        }
        return body;
    }

    private Instant retentionStart() {
        return clock.now().minus(COLLECTION_RETENTION);
    }

    // ------------------------------------------------------------------ logon

    private void logon(HttpExchange ex, Map<String, String> params, String base) throws IOException {
        String v = params.getOrDefault("v", "latest");
        if (!v.equalsIgnoreCase("latest") && Representations.VERSIONS.stream().noneMatch(v::equalsIgnoreCase)) {
            throw new EmError(400, "Unsupported API version '" + v + "'. Supported: latest, " + String.join(", ", Representations.VERSIONS));
        }
        String auth = ex.getRequestHeaders().getFirst("Authorization");
        String user = checkBasic(auth);
        if (user == null) {
            ex.getResponseHeaders().add("WWW-Authenticate", "Basic Realm=RestSvc");
            throw new EmError(401, auth == null ? "Authorization header expected but not found."
                    : "The user name or password is incorrect.");
        }
        TokenStore.Logon l = tokens.issue(user, clock.now());
        observer.accept(user, "/api/sessionmngr");
        ex.getResponseHeaders().add(TOKEN, l.token);
        ex.getResponseHeaders().add("Set-Cookie", TOKEN + "=" + l.token + "; Path=/api;");
        send(ex, 201, EmXml.marshal(new Representations(base).logonSession(l.sessionId, l.user)), FaultPlan.Kind.NONE);
    }

    private String checkBasic(String header) {
        if (header == null || !header.regionMatches(true, 0, "Basic ", 0, 6)) {
            return null;
        }
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(header.substring(6).trim()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return null;
        }
        int colon = decoded.indexOf(':');
        if (colon < 0) {
            return null;
        }
        String user = decoded.substring(0, colon);
        String password = decoded.substring(colon + 1);
        return user.equalsIgnoreCase(options.user) && password.equals(options.password) ? user : null;
    }

    /** Token from the cookie if present (EM: the cookie wins over the header), else from the header. */
    private TokenStore.Logon authenticate(HttpExchange ex) {
        String token = cookieToken(ex.getRequestHeaders().get("Cookie"));
        if (token == null) {
            token = ex.getRequestHeaders().getFirst(TOKEN);
        }
        Optional<TokenStore.Logon> l = tokens.use(token, clock.now());
        if (l.isEmpty()) {
            ex.getResponseHeaders().add("WWW-Authenticate", "Basic Realm=RestSvc");
            throw new EmError(401, token == null ? "Authorization header expected but not found."
                    : "The session has expired or is invalid. Log on again.");
        }
        return l.get();
    }

    static String cookieToken(List<String> cookieHeaders) {
        if (cookieHeaders == null) {
            return null;
        }
        for (String header : cookieHeaders) {
            for (String part : header.split(";")) {
                int eq = part.indexOf('=');
                if (eq > 0 && part.substring(0, eq).trim().equalsIgnoreCase(TOKEN)) {
                    return part.substring(eq + 1).trim();
                }
            }
        }
        return null;
    }

    private void logonSessions(HttpExchange ex, String method, String[] seg, String[] low, String base) throws IOException {
        Representations rep = new Representations(base);
        if (low.length == 1) {
            requireMethod(method, "GET");
            LogonSessions list = new LogonSessions(tokens.active(clock.now()).stream()
                    .map(l -> rep.logonSession(l.sessionId, l.user)).toList());
            send(ex, 200, EmXml.marshal(list), FaultPlan.Kind.NONE);
            return;
        }
        if (low.length != 2) {
            throw new EmError(404, "Resource not found: /api/" + String.join("/", seg));
        }
        TokenStore.Logon target = tokens.bySessionId(seg[1])
                .orElseThrow(() -> new EmError(404, "Logon session " + seg[1] + " not found."));
        if (method.equals("DELETE")) {
            tokens.invalidate(target);
            ex.sendResponseHeaders(204, -1);
            return;
        }
        requireMethod(method, "GET", "DELETE");
        send(ex, 200, EmXml.marshal(rep.logonSession(target.sessionId, target.user)), FaultPlan.Kind.NONE);
    }

    // ------------------------------------------------------------------ output

    private void sendError(HttpExchange ex, int status, String message) throws IOException {
        dev.vse.model.EmError error = new dev.vse.model.EmError(status, EmError.statusName(status), message);
        send(ex, status, EmXml.marshal(error), FaultPlan.Kind.NONE);
    }

    private void send(HttpExchange ex, int status, byte[] xml, FaultPlan.Kind mangle) throws IOException {
        byte[] body = xml;
        if (mangle == FaultPlan.Kind.MALFORMED) {
            body = Mangler.malformed(body);
        } else if (mangle == FaultPlan.Kind.TRUNCATED) {
            body = Mangler.truncated(body);
        }
        if (faults.bom()) {
            body = Mangler.withBom(body);
            faults.count("bom");
        }
        sendExactly(ex, status, body);
    }

    private void sendExactly(HttpExchange ex, int status, byte[] body) throws IOException {
        ex.getResponseHeaders().set("Content-Type", "application/xml; charset=utf-8");
        ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            try (OutputStream out = ex.getResponseBody()) {
                out.write(body);
            }
        }
        bytesServed.addAndGet(body.length);
    }

    private static void requireMethod(String method, String... allowed) {
        for (String a : allowed) {
            if (a.equals(method)) {
                return;
            }
        }
        throw new EmError(405, "Method " + method + " is not allowed here (allowed: " + String.join(", ", allowed) + ").");
    }

    private String base(HttpExchange ex) {
        String host = ex.getRequestHeaders().getFirst("Host");
        if (host == null || host.isBlank()) {
            host = ex.getLocalAddress().getHostString() + ":" + port();
        }
        return scheme + "://" + host + "/api";
    }

    static Map<String, String> params(String rawQuery) {
        Map<String, String> m = new HashMap<>();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return m;
        }
        for (String pair : rawQuery.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String k = eq < 0 ? pair : pair.substring(0, eq);
            String v = eq < 0 ? "" : pair.substring(eq + 1);
            m.putIfAbsent(decode(k).toLowerCase(Locale.ROOT), decode(v));
        }
        return m;
    }

    private static String decode(String s) {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new EmError(400, "Malformed query string: " + s);
        }
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static SSLContext sslContext(SimulatorOptions o) throws IOException {
        try {
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(o.keyStore, o.keyPassword);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(kmf.getKeyManagers(), null, null);
            return ctx;
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot set up TLS: " + e.getMessage(), e);
        }
    }
}
