package dev.vse.em;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.vse.em.support.FakeEm;
import dev.vse.em.support.FakeEm.Fault;
import dev.vse.em.support.LogCapture;
import dev.vse.em.support.Paging;
import dev.vse.em.support.Samples;
import dev.vse.model.BackupJobSession;
import dev.vse.model.BackupTaskSession;
import dev.vse.model.EmError;
import dev.vse.model.EmXml;
import dev.vse.model.JobSession;
import dev.vse.model.ReplicaJobSession;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The EM client against a real HTTP server (a small fake EM), through a real Camel context. */
class EmClientTest {
    /** Distinctive, so that a leak into a message or log line is unmistakable. */
    private static final String PASSWORD = "Pw-9f3Kq!zz-never-print-me";

    private CamelContext camel;
    private FakeEm em;
    private EmClient client;
    private LogCapture logs;

    @BeforeAll
    static void warmUpJaxb() {
        // the first JAXB use costs seconds on a busy machine; keep it out of the timed requests
        EmXml.unmarshal(EmXml.marshal(new EmError(500, "x", "warm-up")), EmError.class);
    }

    @BeforeEach
    void start() throws Exception {
        camel = new DefaultCamelContext();
        camel.start();
        em = FakeEm.http(PASSWORD);
        logs = LogCapture.of("dev.vse.em");
        client = new EmClient(camel, config(PASSWORD).build());
    }

    @AfterEach
    void stop() {
        client.close();
        logs.close();
        em.close();
        camel.stop();
    }

    private EmServerConfig.Builder config(String password) {
        return EmServerConfig.builder("em01", em.baseUrl() + "/")
                .credentials(FakeEm.USER, password)
                .connectTimeout(Duration.ofSeconds(2))
                .readTimeout(Duration.ofSeconds(5))
                .pageSize(500);
    }

    private static SessionQuery backupSessions() {
        return SessionQuery.of(SessionQuery.Type.BackupJobSession).withSortAsc("CreationTime");
    }

    @Test
    void givenCamelContext_whenClientCreated_thenOwnHttpComponentRegisteredPerEm() {
        assertThat(camel.getComponent("em-http-em01")).isNotNull();
        assertThat(client.componentName()).isEqualTo("em-http-em01");
    }

    @Test
    void givenEmRoot_whenApiRoot_thenSupportedVersionsRecordedWithoutLogon() {
        client.apiRoot();

        assertThat(client.supportedVersions()).containsExactly("v1_5", "v1_6", "v1_7");
        assertThat(em.logons()).isZero();
    }

    @Test
    void givenValidCredentials_whenLogon_thenTokenFromHeaderIsSentOnEveryGet() {
        client.logon();
        em.generateSessions(3);

        client.queryPage(backupSessions(), 1);

        assertThat(em.logons()).isEqualTo(1);
        assertThat(client.logonSession().getSessionId()).isNotBlank();
        FakeEm.Recorded query = em.queries().get(0);
        assertThat(query.tokenHeader()).isIn(em.validTokens());
        assertThat(query.authorization()).as("Basic auth only on logon").isNull();
    }

    @Test
    void givenNoLogonYet_whenGet_thenLogsOnLazilyOnce() {
        em.generateSessions(2);

        client.queryPage(backupSessions(), 1);
        client.queryPage(backupSessions(), 1);

        assertThat(em.logons()).isEqualTo(1);
    }

    @Test
    void givenExpiredToken_whenGet_thenOneReLogonAndTheRetrySucceeds() {
        em.generateSessions(5);
        client.logon();
        em.expireAllTokens();

        QueryPage page = client.queryPage(backupSessions(), 1);

        assertThat(page.sessions()).hasSize(5);
        assertThat(em.logons()).isEqualTo(2);
        assertThat(logs.all()).contains("logging on again");
    }

    @Test
    void givenLogonCookieThenTokenRotated_whenGet_thenNoCookieIsEverSent() {
        // EM sets X-RestSvcSessionId as cookie too, and a cookie beats the header: a client that stored it
        // would keep presenting the expired token after re-logon and fail for ever.
        em.generateSessions(5);
        client.logon();
        em.expireAllTokens();
        client.queryPage(backupSessions(), 1);
        em.expireAllTokens();
        client.queryPage(backupSessions(), 1);

        assertThat(em.logons()).isEqualTo(3);
        assertThat(em.requests()).isNotEmpty().allSatisfy(r -> assertThat(r.cookie()).isNull());
    }

    @Test
    void givenStaleCookieAndFreshHeader_whenSentToTheFake_thenCookieWinsLikeOnEm() throws Exception {
        // guards the test above: the fake really punishes a client that replays the logon cookie
        client.logon();
        String stale = em.validTokens().iterator().next();
        em.expireAllTokens();
        client.logon();
        String fresh = em.validTokens().iterator().next();
        HttpRequest request = HttpRequest.newBuilder(URI.create(em.baseUrl() + "/query?type=BackupJobSession"))
                .header(EmClient.TOKEN_HEADER, fresh).header("Cookie", EmClient.TOKEN_HEADER + "=" + stale).build();

        int status = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.discarding()).statusCode();

        assertThat(status).isEqualTo(401);
    }

    @Test
    void givenExpiredTokenAndConcurrentPollers_whenGet_thenExactlyOneReLogon() throws Exception {
        em.generateSessions(10);
        client.logon();
        em.expireAllTokens();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<QueryPage>> pages = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                pages.add(pool.submit(() -> client.queryPage(backupSessions(), 1)));
            }
            for (Future<QueryPage> p : pages) {
                assertThat(p.get(10, TimeUnit.SECONDS).sessions()).hasSize(10);
            }
        } finally {
            pool.shutdownNow();
        }

        assertThat(em.logons()).isEqualTo(2);
    }

    @Test
    void givenMoreThanThousandSessions_whenPagedThrough_thenEveryPageOnceAndEveryUid() {
        List<String> uids = em.generateSessions(1234);

        List<JobSession> all = Paging.allSessions(client, backupSessions().withPageSize(100));

        assertThat(all).extracting(JobSession::getUid).containsExactlyElementsOf(uids);
        assertThat(em.queries()).extracting(q -> q.query().get("page"))
                .containsExactlyElementsOf(IntStream.rangeClosed(1, 13).mapToObj(Integer::toString).toList());
        assertThat(em.queries()).allSatisfy(q -> {
            assertThat(q.query()).containsEntry("pageSize", "100").containsEntry("format", "Entities")
                    .containsEntry("type", "BackupJobSession").containsEntry("sortAsc", "CreationTime");
        });
    }

    @Test
    void givenNoPageSizeOnQuery_whenQueryPage_thenConfiguredPageSizeSent() {
        em.generateSessions(3);

        client.queryPage(backupSessions(), 1);

        assertThat(em.queries().get(0).query()).containsEntry("pageSize", "500").containsEntry("page", "1");
    }

    @Test
    void givenFilterWithQuotesSpacesAndDates_whenQueryPage_thenEncodedAndDecodedIntact() {
        String filter = EmFilter.and(EmFilter.ge("CreationTime", Instant.parse("2025-08-15T06:00:00Z")),
                EmFilter.eq("JobName", "Daily \"SQL\" Backup & more"));

        client.queryPage(backupSessions().withFilter(filter), 1);

        FakeEm.Recorded q = em.queries().get(0);
        assertThat(q.query()).containsEntry("filter", filter);
        assertThat(q.rawQuery()).doesNotContain(" ", "\"").contains("%22", "%3B");
    }

    @Test
    void givenSessionHref_whenGetSession_thenEntityFormatRequestedAndTyped() {
        em.generateSessions(3);
        BackupJobSession wanted = em.sessions().get(1);

        SessionResponse r = client.getSession(wanted.getHref().replace("?format=Entity", ""));

        assertThat(r.session()).isInstanceOf(BackupJobSession.class);
        assertThat(r.session().getUid()).isEqualTo(wanted.getUid());
        assertThat(em.requests().get(em.requests().size() - 1).query()).containsEntry("format", "Entity");
    }

    @Test
    void givenReplicaSessionHrefOfAnotherHostName_whenGetSession_thenRebasedOntoConfiguredEm() {
        em.serve("/api/replicaSessions/abc", Samples.bytes("replicaSession-entity.xml"));

        JobSession s = client.getSession("https://enterpriseem02.tech.local:9398/api/replicaSessions/abc?format=Entity")
                .session();

        assertThat(s).isInstanceOf(ReplicaJobSession.class);
    }

    @Test
    void givenSessionHref_whenGetSession_thenRawBytesOfTheAnswerKeptForDeadLettering() {
        byte[] sample = Samples.bytes("replicaSession-entity.xml");
        em.serve("/api/replicaSessions/abc", sample);

        SessionResponse r = client.getSession(em.baseUrl() + "/replicaSessions/abc");

        assertThat(r.response().body()).isEqualTo(sample);
        assertThat(r.response().status()).isEqualTo(200);
        assertThat(r.response().request()).isEqualTo("GET " + em.baseUrl() + "/replicaSessions/abc?format=Entity");
        assertThat(r.session().getUid()).isNotBlank();
    }

    @Test
    void givenXmlThatIsNoJobSession_whenGetSession_thenMalformedWithTheBody() {
        byte[] notASession = Samples.bytes("backupTaskSession-entity.xml");
        em.serve("/api/backupSessions/odd", notASession);

        EmRequestException e = catchThrowableOfType(EmRequestException.class,
                () -> client.getSession(em.baseUrl() + "/backupSessions/odd"));

        assertThat(e.kind()).isEqualTo(FailureKind.MALFORMED);
        assertThat(e.body()).isEqualTo(notASession);
        assertThat(e.getMessage()).contains("document root is <BackupTaskSession>");
    }

    @Test
    void givenSession_whenTaskSessions_thenEntitiesOfTaskSessions() {
        em.generateSessions(1);

        List<BackupTaskSession> tasks = client.taskSessions(em.sessions().get(0).getHref());

        assertThat(tasks).hasSize(1);
        assertThat(em.requests().get(em.requests().size() - 1).path()).endsWith("/taskSessions");
    }

    @Test
    void givenLoggedOn_whenClose_thenLogonSessionDeletedAndComponentRemoved() {
        client.logon();
        String sessionId = client.logonSession().getSessionId();

        client.close();

        assertThat(em.deletedSessionIds()).containsExactly(sessionId);
        assertThat(camel.hasComponent("em-http-em01")).isNull();
    }

    @Test
    void given503_whenGet_thenRetriableWithEmMessage() {
        client.logon();
        em.failNext(Fault.status(503));

        EmRequestException e = catchThrowableOfType(EmRequestException.class, () -> client.queryPage(backupSessions(), 1));

        assertThat(e.kind()).isEqualTo(FailureKind.RETRIABLE);
        assertThat(e.status()).isEqualTo(503);
        assertThat(e.getMessage()).contains("em01", "GET " + em.baseUrl() + "/query?type=BackupJobSession",
                "503", "Injected failure 503");
    }

    @Test
    void givenSlowEm_whenGet_thenTimeoutIsRetriable() {
        try (EmClient impatient = new EmClient(camel, EmServerConfig.builder("em-slow", em.baseUrl())
                .credentials(FakeEm.USER, PASSWORD).readTimeout(Duration.ofSeconds(1)).build())) {
            impatient.logon();
            em.failNext(Fault.delay(Duration.ofSeconds(10)));

            EmRequestException e = catchThrowableOfType(EmRequestException.class,
                    () -> impatient.queryPage(backupSessions(), 1));

            assertThat(e.kind()).isEqualTo(FailureKind.RETRIABLE);
            assertThat(e.status()).isEqualTo(-1);
            assertThat(e.getMessage()).contains("em-slow", "/query", "SocketTimeoutException");
        }
    }

    @Test
    void givenConnectionDroppedWithoutAnswer_whenGet_thenRetriableAndNotRetriedByHttpClient() {
        client.logon();
        em.failNext(Fault.drop());

        EmRequestException e = catchThrowableOfType(EmRequestException.class, () -> client.queryPage(backupSessions(), 1));

        assertThat(e.kind()).isEqualTo(FailureKind.RETRIABLE);
        assertThat(em.queries()).as("automatic retries are disabled").hasSize(1);
    }

    @Test
    void givenNothingListening_whenLogon_thenConnectionRefusedIsRetriable() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        try (EmClient dead = new EmClient(camel, EmServerConfig.builder("em02", "http://localhost:" + port + "/api")
                .credentials(FakeEm.USER, PASSWORD).build())) {
            EmRequestException e = catchThrowableOfType(EmRequestException.class, dead::logon);

            assertThat(e.kind()).isEqualTo(FailureKind.RETRIABLE);
            assertThat(e.getMessage()).contains("em02", "POST http://localhost:" + port + "/api/sessionMngr/");
        }
    }

    @Test
    void givenTokenRejectedEvenAfterReLogon_whenGet_thenAuthenticationAfterExactlyOneReLogon() {
        client.logon();
        em.rejectAllTokens(true);

        EmRequestException e = catchThrowableOfType(EmRequestException.class, () -> client.queryPage(backupSessions(), 1));

        assertThat(e.kind()).isEqualTo(FailureKind.AUTHENTICATION);
        assertThat(e.status()).isEqualTo(401);
        assertThat(em.logons()).isEqualTo(2);
        assertThat(em.queries()).hasSize(2);
    }

    @Test
    void givenWrongPassword_whenLogon_thenAuthenticationAndPasswordNowhere() {
        String wrong = "Wrong-Pw-7731-also-secret";
        try (EmClient bad = new EmClient(camel, EmServerConfig.builder("em03", em.baseUrl())
                .credentials(FakeEm.USER, wrong).build())) {
            EmRequestException e = catchThrowableOfType(EmRequestException.class, bad::logon);

            assertThat(e.kind()).isEqualTo(FailureKind.AUTHENTICATION);
            assertThat(e.getMessage()).contains("em03", "POST", "sessionMngr", "401", FakeEm.USER)
                    .doesNotContain(wrong, "Basic ");
            assertThat(logs.all()).doesNotContain(wrong);
        }
    }

    @Test
    void given404_whenGetSession_thenPermanent() {
        client.logon();

        EmRequestException e = catchThrowableOfType(EmRequestException.class,
                () -> client.getSession(em.baseUrl() + "/backupSessions/does-not-exist"));

        assertThat(e.kind()).isEqualTo(FailureKind.PERMANENT);
        assertThat(e.status()).isEqualTo(404);
        assertThat(e.getMessage()).contains("em01", "/backupSessions/does-not-exist", "not found");
    }

    @Test
    void givenMalformedBody_whenQueryPage_thenMalformedWithRawBytesKept() {
        client.logon();
        em.failNext(Fault.malformed());

        EmRequestException e = catchThrowableOfType(EmRequestException.class, () -> client.queryPage(backupSessions(), 1));

        assertThat(e.kind()).isEqualTo(FailureKind.MALFORMED);
        assertThat(e.status()).isEqualTo(200);
        assertThat(new String(e.body(), StandardCharsets.UTF_8)).startsWith("<QueryResult").endsWith("<Ba");
    }

    @Test
    void givenEveryFailure_whenReported_thenNeitherPasswordNorTokenAppears() {
        client.logon();
        String token = em.validTokens().iterator().next();
        em.failNext(Fault.status(503), Fault.status(404), Fault.malformed(), Fault.drop());
        for (int i = 0; i < 4; i++) {
            EmRequestException e = catchThrowableOfType(EmRequestException.class, () -> client.queryPage(backupSessions(), 1));
            assertThat(e.getMessage()).doesNotContain(PASSWORD, token);
        }
        em.rejectAllTokens(true);
        EmRequestException auth = catchThrowableOfType(EmRequestException.class, () -> client.queryPage(backupSessions(), 1));

        assertThat(auth.getMessage()).doesNotContain(PASSWORD, token);
        assertThat(logs.all()).isNotEmpty().doesNotContain(PASSWORD, token);
        assertThat(client.config().toString()).doesNotContain(PASSWORD);
    }

    @Test
    void givenNoSessions_whenQueryPage_thenEmptyFirstPageWithOnePage() {
        em.generateSessions(0);

        QueryPage page = client.queryPage(backupSessions(), 1);

        assertThat(page.sessions()).isEmpty();
        assertThat(page.pagesCount()).isEqualTo(1);
        assertThat(em.queries()).hasSize(1);
    }

    @Test
    void givenQueryArgs_whenGetWithQueryMap_thenRawBodyAndContentTypeReturned() {
        EmResponse r = client.get("query", Map.of("type", "BackupJobSession", "format", "Entities"));

        assertThat(r.status()).isEqualTo(200);
        assertThat(r.emId()).isEqualTo("em01");
        assertThat(r.contentType()).startsWith("application/xml");
        assertThat(new String(r.body(), StandardCharsets.UTF_8)).contains("QueryResult");
        assertThat(r.request()).startsWith("GET " + em.baseUrl() + "/query?");
    }

    @Test
    void givenEmAnswering_whenAnyRequest_thenDateHeaderParsedAndSkewNearZero() {
        // the JDK server behind FakeEm stamps Date with this host's time: skew is the 1 s truncation plus latency
        EmResponse r = client.get("query", Map.of("type", "BackupJobSession"));

        assertThat(r.date()).isNotNull().isBetween(Instant.now().minusSeconds(5), Instant.now());
        assertThat(client.clockSkew()).hasValueSatisfying(d -> assertThat(d.abs()).isLessThan(Duration.ofSeconds(5)));
        assertThat(logs.all()).doesNotContain("its clock is");
    }

    @Test
    void givenLocalClockTenMinutesAhead_whenRequests_thenSkewMinusTenMinutesAndOneWarn() {
        Clock ahead = Clock.offset(Clock.systemUTC(), Duration.ofMinutes(10));
        try (EmClient skewed = new EmClient(camel, EmServerConfig.builder("em-skew", em.baseUrl())
                .credentials(FakeEm.USER, PASSWORD).build(), ahead)) {
            skewed.apiRoot();
            skewed.queryPage(backupSessions(), 1);

            assertThat(skewed.clockSkew()).hasValueSatisfying(d ->
                    assertThat(d).isBetween(Duration.ofMinutes(-10).minusSeconds(5), Duration.ofMinutes(-10).plusSeconds(1)));
            assertThat(logs.lines()).filteredOn(l -> l.contains("its clock is")).singleElement().satisfies(l ->
                    assertThat(l).startsWith("WARN EM em-skew: its clock is 10m ").contains("behind this host (Date header)"));
        }
    }

    @Test
    void givenNoResponseYet_whenClockSkew_thenEmpty() {
        assertThat(client.clockSkew()).isEmpty();
    }
}
