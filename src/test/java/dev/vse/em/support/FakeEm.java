package dev.vse.em.support;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.vse.model.BackupJobSession;
import dev.vse.model.BackupJobSessions;
import dev.vse.model.BackupTaskSession;
import dev.vse.model.BackupTaskSessions;
import dev.vse.model.EmError;
import dev.vse.model.EmXml;
import dev.vse.model.EnterpriseManager;
import dev.vse.model.Entities;
import dev.vse.model.Link;
import dev.vse.model.Links;
import dev.vse.model.LogonSession;
import dev.vse.model.PagingInfo;
import dev.vse.model.QueryResult;
import dev.vse.model.SupportedVersion;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;

/**
 * A deliberately small, test-only EM on the JDK HTTP server: just what the client tests need.
 * The full simulator lives in {@code dev.vse.simulator}. Behaviour copied from the EM docs:
 * logon sets the token as header and cookie, a cookie beats the header, expired tokens get 401.
 */
public final class FakeEm implements AutoCloseable {
    public static final String USER = "svc-veeam";
    private static final String TOKEN = "X-RestSvcSessionId";

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "fake-em");
        t.setDaemon(true);
        return t;
    });
    private final String scheme;
    private final String password;
    private final Map<String, String> tokensToSessionIds = new ConcurrentHashMap<>();
    private final List<BackupJobSession> sessions = new CopyOnWriteArrayList<>();
    private final Map<String, byte[]> fixed = new ConcurrentHashMap<>();
    private final ConcurrentLinkedDeque<Fault> faults = new ConcurrentLinkedDeque<>();
    private final List<Recorded> requests = new CopyOnWriteArrayList<>();
    private final List<String> deletedSessionIds = new CopyOnWriteArrayList<>();
    private final AtomicInteger logons = new AtomicInteger();
    private final CountDownLatch stopping = new CountDownLatch(1);
    private volatile boolean rejectAllTokens;

    /** What the fake saw of one request. */
    public record Recorded(String method, String path, String rawQuery, Map<String, String> query,
                           String tokenHeader, String cookie, String authorization) { }

    /** A fault applied to the next authenticated request (not to logon). */
    public record Fault(String kind, int status, Duration delay) {
        public static Fault status(int status) { return new Fault("status", status, null); }
        public static Fault delay(Duration delay) { return new Fault("delay", 0, delay); }
        public static Fault drop() { return new Fault("drop", 0, null); }
        public static Fault malformed() { return new Fault("malformed", 200, null); }
    }

    private FakeEm(HttpServer server, String scheme, String password) {
        this.server = server;
        this.scheme = scheme;
        this.password = password;
        server.setExecutor(executor);
        server.createContext("/api", this::handle);
        server.start();
    }

    public static FakeEm http(String password) {
        try {
            return new FakeEm(HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0),
                    "http", password);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static FakeEm https(String password, SSLContext tls) {
        try {
            HttpsServer s = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            s.setHttpsConfigurator(new HttpsConfigurator(tls));
            return new FakeEm(s, "https", password);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Base URL as a user would configure it, e.g. {@code http://localhost:34567/api}. */
    public String baseUrl() {
        return scheme + "://localhost:" + server.getAddress().getPort() + "/api";
    }

    public int port() { return server.getAddress().getPort(); }

    /** Adds {@code count} stopped backup sessions, one minute apart, oldest first; returns their UIDs. */
    public List<String> generateSessions(int count) {
        List<String> uids = new ArrayList<>();
        Instant start = Instant.parse("2025-08-15T06:00:00Z");
        for (int i = 0; i < count; i++) {
            String id = UUID.randomUUID().toString();
            BackupJobSession s = new BackupJobSession();
            s.setUid("urn:veeam:BackupJobSession:" + id);
            s.setHref(baseUrl() + "/backupSessions/" + id + "?format=Entity");
            s.setType("BackupJobSession");
            s.setName("Job " + (i % 37) + "@" + start.plusSeconds(60L * i));
            s.setJobUid("urn:veeam:Job:" + new UUID(0, i % 37));
            s.setJobName("Job " + (i % 37));
            s.setJobType("Backup");
            s.setCreationTimeUtc(start.plusSeconds(60L * i));
            s.setEndTimeUtc(start.plusSeconds(60L * i + 30));
            s.setState("Stopped");
            s.setResult(i % 10 == 0 ? "Failed" : "Success");
            s.setProgress(100);
            s.setIsRetry(false);
            sessions.add(s);
            uids.add(s.getUid());
        }
        return uids;
    }

    public List<BackupJobSession> sessions() { return sessions; }

    /** Serves {@code body} (200, XML) at {@code path} (e.g. {@code /api/replicaSessions/x}) to authenticated GETs. */
    public void serve(String path, byte[] body) { fixed.put(path, body); }

    /** Queues faults for the next authenticated requests, in order. */
    public void failNext(Fault... next) { Collections.addAll(faults, next); }

    /** Forgets every token, as EM does after 15 idle minutes. */
    public void expireAllTokens() { tokensToSessionIds.clear(); }

    /** Every token gets 401, even fresh ones (a broken account or EM). */
    public void rejectAllTokens(boolean reject) { rejectAllTokens = reject; }

    public int logons() { return logons.get(); }
    public List<Recorded> requests() { return requests; }
    public List<String> deletedSessionIds() { return deletedSessionIds; }
    public Set<String> validTokens() { return Set.copyOf(tokensToSessionIds.keySet()); }

    /** Requests to {@code /api/query}, in order. */
    public List<Recorded> queries() {
        return requests.stream().filter(r -> r.path().equals("/api/query")).toList();
    }

    @Override
    public void close() {
        stopping.countDown();
        server.stop(0);
        executor.shutdownNow();
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            drain(ex.getRequestBody());
            String path = ex.getRequestURI().getRawPath();
            Recorded r = record(ex, path);
            if (path.equals("/api") || path.equals("/api/")) {
                send(ex, 200, EmXml.marshal(root()));
            } else if (path.equalsIgnoreCase("/api/sessionMngr/") && ex.getRequestMethod().equals("POST")) {
                logon(ex);
            } else {
                authenticated(ex, r);
            }
        } catch (RuntimeException e) {
            send(ex, 500, EmXml.marshal(new EmError(500, "InternalServerError", e.toString())));
        }
    }

    private Recorded record(HttpExchange ex, String path) {
        String raw = ex.getRequestURI().getRawQuery();
        Recorded r = new Recorded(ex.getRequestMethod(), path, raw, parseQuery(raw),
                ex.getRequestHeaders().getFirst(TOKEN), ex.getRequestHeaders().getFirst("Cookie"),
                ex.getRequestHeaders().getFirst("Authorization"));
        requests.add(r);
        return r;
    }

    private void logon(HttpExchange ex) throws IOException {
        String expected = "Basic " + Base64.getEncoder().encodeToString(
                (USER + ":" + password).getBytes(StandardCharsets.UTF_8));
        if (!expected.equals(ex.getRequestHeaders().getFirst("Authorization"))) {
            ex.getResponseHeaders().add("WWW-Authenticate", "Basic Realm=RestSvc");
            send(ex, 401, EmXml.marshal(new EmError(401, "Unauthorized", "The user name or password is incorrect")));
            return;
        }
        logons.incrementAndGet();
        String sessionId = UUID.randomUUID().toString();
        String token = Base64.getEncoder().encodeToString(sessionId.getBytes(StandardCharsets.US_ASCII));
        tokensToSessionIds.put(token, sessionId);
        ex.getResponseHeaders().add(TOKEN, token);
        ex.getResponseHeaders().add("Set-Cookie", TOKEN + "=" + token + "; Path=/api;");
        String href = baseUrl() + "/logonSessions/" + sessionId;
        Links links = new Links(List.of(new Link("Delete", null, href, null)));
        send(ex, 201, EmXml.marshal(new LogonSession(href, links, USER, sessionId)));
    }

    private void authenticated(HttpExchange ex, Recorded r) throws IOException {
        // EM quirk: when the token arrives both as cookie and header, the cookie wins
        String token = cookieToken(r.cookie());
        if (token == null) {
            token = r.tokenHeader();
        }
        if (rejectAllTokens || token == null || !tokensToSessionIds.containsKey(token)) {
            send(ex, 401, EmXml.marshal(new EmError(401, "Unauthorized", "Authorization token expired or not found")));
            return;
        }
        Fault fault = faults.poll();
        if (fault != null && applyFault(ex, fault)) {
            return;
        }
        route(ex, r, token);
    }

    /** Returns true when the fault produced the (non-)answer. */
    private boolean applyFault(HttpExchange ex, Fault fault) throws IOException {
        switch (fault.kind()) {
            case "status" -> send(ex, fault.status(), EmXml.marshal(
                    new EmError(fault.status(), "Injected", "Injected failure " + fault.status())));
            case "drop" -> { /* close without any response: the client sees the connection end */ }
            case "malformed" -> send(ex, 200, "<QueryResult xmlns=\"http://www.veeam.com/ent/v1.0\"><Entities><Ba"
                    .getBytes(StandardCharsets.UTF_8));
            case "delay" -> {
                try {
                    stopping.await(fault.delay().toMillis(), TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return false;
            }
            default -> throw new IllegalStateException(fault.kind());
        }
        return true;
    }

    private void route(HttpExchange ex, Recorded r, String token) throws IOException {
        String path = r.path();
        if (r.method().equals("DELETE") && path.startsWith("/api/logonSessions/")) {
            String id = path.substring("/api/logonSessions/".length());
            tokensToSessionIds.remove(token);
            deletedSessionIds.add(id);
            send(ex, 204, null);
        } else if (fixed.containsKey(path)) {
            send(ex, 200, fixed.get(path));
        } else if (path.equals("/api/query")) {
            send(ex, 200, EmXml.marshal(query(r.query())));
        } else if (path.startsWith("/api/backupSessions/") && path.endsWith("/taskSessions")) {
            send(ex, 200, EmXml.marshal(new BackupTaskSessions(List.of(sampleTask()))));
        } else if (path.startsWith("/api/backupSessions/")) {
            String id = path.substring("/api/backupSessions/".length());
            BackupJobSession s = sessions.stream().filter(x -> x.getUid().endsWith(":" + id)).findFirst().orElse(null);
            if (s == null) {
                send(ex, 404, EmXml.marshal(new EmError(404, "NotFound", "Backup session " + id + " not found")));
            } else {
                send(ex, 200, EmXml.marshal(s));
            }
        } else {
            send(ex, 404, EmXml.marshal(new EmError(404, "NotFound", "No resource at " + path)));
        }
    }

    private QueryResult query(Map<String, String> q) {
        int pageSize = Integer.parseInt(q.getOrDefault("pageSize", "100")); // EM's observed default
        int page = Integer.parseInt(q.getOrDefault("page", "1"));
        int pagesCount = Math.max(1, (sessions.size() + pageSize - 1) / pageSize);
        int from = Math.min(sessions.size(), (page - 1) * pageSize);
        int to = Math.min(sessions.size(), from + pageSize);
        Entities entities = new Entities();
        entities.setBackupJobSessions(new BackupJobSessions(sessions.subList(from, to)));
        String link = baseUrl() + "/query?type=BackupJobSession&format=Entities&pageSize=" + pageSize + "&page=";
        List<Link> links = new ArrayList<>(List.of(new Link("First", null, link + 1, null),
                new Link("Last", null, link + pagesCount, null)));
        if (page < pagesCount) {
            links.add(new Link("Next", null, link + (page + 1), null));
        }
        QueryResult result = new QueryResult();
        result.setEntities(entities);
        result.setPagingInfo(new PagingInfo(page, pageSize, pagesCount, new Links(links)));
        return result;
    }

    private EnterpriseManager root() {
        List<SupportedVersion> versions = new ArrayList<>();
        for (String v : List.of("v1_5", "v1_6", "v1_7")) {
            versions.add(new SupportedVersion(v, new Links(List.of(
                    new Link("Create", "LogonSession", baseUrl() + "/sessionMngr/?v=" + v, null)))));
        }
        return new EnterpriseManager(new Links(List.of(
                new Link("Down", "LogonSessionList", baseUrl() + "/logonSessions", null),
                new Link("Create", "LogonSession", baseUrl() + "/sessionMngr/?v=latest", null))), versions);
    }

    private static BackupTaskSession sampleTask() {
        return EmXml.unmarshal(Samples.bytes("backupTaskSession-entity.xml"), BackupTaskSession.class);
    }

    private static String cookieToken(String cookie) {
        if (cookie == null) {
            return null;
        }
        for (String part : cookie.split(";")) {
            String p = part.trim();
            if (p.startsWith(TOKEN + "=")) {
                return p.substring(TOKEN.length() + 1);
            }
        }
        return null;
    }

    private static Map<String, String> parseQuery(String raw) {
        Map<String, String> m = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return m;
        }
        for (String part : raw.split("&")) {
            int eq = part.indexOf('=');
            String k = eq < 0 ? part : part.substring(0, eq);
            String v = eq < 0 ? "" : part.substring(eq + 1);
            m.put(URLDecoder.decode(k, StandardCharsets.UTF_8), URLDecoder.decode(v, StandardCharsets.UTF_8));
        }
        return m;
    }

    private static void send(HttpExchange ex, int status, byte[] body) throws IOException {
        if (body == null) {
            ex.sendResponseHeaders(status, -1);
            return;
        }
        ex.getResponseHeaders().set("Content-Type", "application/xml; charset=utf-8");
        ex.sendResponseHeaders(status, body.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(body);
        } catch (IOException e) {
            // the client gave up (timeout test); nothing to do
        }
    }

    private static void drain(InputStream in) throws IOException {
        in.readAllBytes();
    }
}
