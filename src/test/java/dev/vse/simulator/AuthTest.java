package dev.vse.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vse.model.EmXml;
import dev.vse.model.EnterpriseManager;
import dev.vse.model.LogonSession;
import dev.vse.model.LogonSessions;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class AuthTest {
    private final ManualClock clock = new ManualClock(Instant.parse("2025-08-15T06:00:00Z"));
    private EmSimulator sim;

    private SimHttp start(Duration idle) throws Exception {
        sim = EmSimulator.start(SimulatorOptions.defaults().withPort(0).withBindHost("127.0.0.1")
                .withCredentials("svc", "s3cret").withTokenIdleTimeout(idle).withClock(clock));
        SimHttp http = new SimHttp(sim);
        http.user = "svc";
        http.password = "s3cret";
        return http;
    }

    @AfterEach
    void stop() {
        sim.close();
    }

    @Test
    void givenNoToken_whenGettingRoot_thenEnterpriseManagerWithVersions() throws Exception {
        SimHttp http = start(Duration.ofMinutes(15));
        HttpResponse<byte[]> r = http.get("/");
        assertThat(r.statusCode()).isEqualTo(200);
        EnterpriseManager em = EmXml.unmarshal(r.body(), EnterpriseManager.class);
        assertThat(em.getLinks().find("Create", "LogonSession").orElseThrow().getHref()).isEqualTo(sim.baseUrl() + "/sessionMngr/?v=latest");
        assertThat(em.getLinks().find("Down", "LogonSessionList").orElseThrow().getHref()).isEqualTo(sim.baseUrl() + "/logonSessions");
        assertThat(em.getSupportedVersions()).extracting(v -> v.getName()).containsExactly("v1_5", "v1_6", "v1_7");
        assertThat(em.getSupportedVersions().get(2).getLinks().find("Create", null).orElseThrow().getHref()).endsWith("/sessionMngr/?v=v1_7");
    }

    @Test
    void givenGoodCredentials_whenLoggingOn_then201WithHeaderCookieAndBody() throws Exception {
        SimHttp http = start(Duration.ofMinutes(15));
        HttpResponse<byte[]> r = http.logon("svc", "s3cret");
        assertThat(r.statusCode()).isEqualTo(201);
        String token = r.headers().firstValue("X-RestSvcSessionId").orElseThrow();
        assertThat(r.headers().firstValue("Set-Cookie")).hasValue("X-RestSvcSessionId=" + token + "; Path=/api;");
        LogonSession body = EmXml.unmarshal(r.body(), LogonSession.class);
        assertThat(new String(Base64.getDecoder().decode(token), StandardCharsets.US_ASCII)).isEqualTo(body.getSessionId());
        assertThat(body.getUserName()).isEqualTo("svc");
        assertThat(body.getLinks().find("Delete", null).orElseThrow().getHref()).isEqualTo(sim.baseUrl() + "/logonSessions/" + body.getSessionId());
        assertThat(body.getLinks().find("Down", "BackupJobSessionReferenceList")).isPresent();
    }

    @Test
    void givenBadOrMissingCredentials_whenLoggingOn_then401WithChallenge() throws Exception {
        SimHttp http = start(Duration.ofMinutes(15));
        HttpResponse<byte[]> bad = http.logon("svc", "wrong");
        assertThat(bad.headers().firstValue("WWW-Authenticate")).hasValue("Basic Realm=RestSvc");
        QueryPagingTest.assertError(bad, 401, "incorrect");
        HttpResponse<byte[]> none = http.send(http.request("/sessionMngr/?v=latest").POST(HttpRequest.BodyPublishers.noBody()).build());
        QueryPagingTest.assertError(none, 401, "Authorization");
        HttpResponse<byte[]> version = http.send(http.request("/sessionMngr/?v=v1_2").POST(HttpRequest.BodyPublishers.noBody()).build());
        QueryPagingTest.assertError(version, 400, "v1_2");
    }

    @Test
    void givenNoOrUnknownToken_whenQuerying_then401() throws Exception {
        SimHttp http = start(Duration.ofMinutes(15));
        QueryPagingTest.assertError(http.get("/query?type=BackupJobSession"), 401, "Authorization");
        http.token = "bm9wZQ==";
        QueryPagingTest.assertError(http.get("/query?type=BackupJobSession"), 401, "expired");
    }

    @Test
    void givenIdleLongerThanTimeout_whenQuerying_then401_butActivityKeepsItAlive() throws Exception {
        SimHttp http = start(Duration.ofSeconds(30)).logon();
        clock.advance(Duration.ofSeconds(25));
        assertThat(http.get("/query?type=BackupJobSession").statusCode()).isEqualTo(200);
        clock.advance(Duration.ofSeconds(25));
        assertThat(http.get("/query?type=BackupJobSession").statusCode()).isEqualTo(200);
        clock.advance(Duration.ofSeconds(31));
        QueryPagingTest.assertError(http.get("/query?type=BackupJobSession"), 401, "expired");
    }

    @Test
    void givenValidHeaderButStaleCookie_whenQuerying_thenCookieWinsAnd401() throws Exception {
        SimHttp http = start(Duration.ofMinutes(15)).logon();
        HttpResponse<byte[]> stale = http.send(http.request("/query?type=BackupJobSession")
                .header("Cookie", "X-RestSvcSessionId=c3RhbGU=").GET().build());
        assertThat(stale.statusCode()).isEqualTo(401);
        HttpResponse<byte[]> fresh = http.send(http.request("/query?type=BackupJobSession")
                .header("Cookie", "other=1; X-RestSvcSessionId=" + http.token).GET().build());
        assertThat(fresh.statusCode()).isEqualTo(200);
    }

    @Test
    void givenLogonSession_whenDeleted_then204AndTokenInvalid() throws Exception {
        SimHttp http = start(Duration.ofMinutes(15)).logon();
        LogonSessions list = EmXml.unmarshal(http.get("/logonSessions").body(), LogonSessions.class);
        assertThat(list.getSessions()).hasSize(1);
        String id = list.getSessions().get(0).getSessionId();
        assertThat(EmXml.unmarshal(http.get("/logonSessions/" + id).body(), LogonSession.class).getSessionId()).isEqualTo(id);
        HttpResponse<byte[]> del = http.send(http.request("/logonSessions/" + id).DELETE().build());
        assertThat(del.statusCode()).isEqualTo(204);
        assertThat(http.get("/backupSessions").statusCode()).isEqualTo(401);
    }

    @Test
    void givenExpireAllTokensHook_whenQuerying_then401() throws Exception {
        SimHttp http = start(Duration.ofMinutes(15)).logon();
        sim.expireAllTokens();
        assertThat(http.get("/backupSessions").statusCode()).isEqualTo(401);
    }

    @Test
    void givenMixedCasePaths_whenRequesting_thenRoutedAndWrongMethodIs405() throws Exception {
        SimHttp http = start(Duration.ofMinutes(15)).logon();
        assertThat(http.get("/BACKUPSESSIONS").statusCode()).isEqualTo(200);
        assertThat(http.get("/Query?Type=backupjobsession&FORMAT=entities").statusCode()).isEqualTo(200);
        QueryPagingTest.assertError(http.send(http.request("/backupSessions").POST(HttpRequest.BodyPublishers.noBody()).build()), 405, "POST");
        QueryPagingTest.assertError(http.get("/unicorns"), 404, "unicorns");
    }
}
