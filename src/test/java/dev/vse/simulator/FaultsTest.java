package dev.vse.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vse.model.EmXml;
import dev.vse.model.EntityReferences;
import dev.vse.model.MalformedXmlException;
import dev.vse.model.QueryResult;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class FaultsTest {
    private EmSimulator sim;
    private SimHttp http;

    @BeforeEach
    void start() throws Exception {
        sim = EmSimulator.start(SimulatorOptions.defaults().withPort(0).withBindHost("127.0.0.1"));
        for (int i = 0; i < 25; i++) {
            sim.estate().put(SimHttp.session(new UUID(0, i + 1).toString(), "Job", "Stopped", "Success",
                    Instant.now().minusSeconds(100 - i)));
        }
        http = new SimHttp(sim).logon();
    }

    @AfterEach
    void stop() {
        sim.close();
    }

    @Test
    void givenFailNext_whenRequesting_thenThoseStatusesWithErrorBodiesThenNormal() {
        sim.faults().failNext(503, 2).failNext(500, 1);
        QueryPagingTest.assertError(http.get("/backupSessions"), 503, "unavailable");
        QueryPagingTest.assertError(http.get("/backupSessions"), 503, "unavailable");
        QueryPagingTest.assertError(http.get("/backupSessions"), 500, "Internal");
        assertThat(http.get("/backupSessions").statusCode()).isEqualTo(200);
    }

    @Test
    void givenRates_whenRequestingMany_thenRoughlyThatShareFails() {
        sim.faults().error500Rate(0.3);
        int failures = 0;
        for (int i = 0; i < 100; i++) {
            failures += http.get("/backupSessions").statusCode() == 500 ? 1 : 0;
        }
        assertThat(failures).isBetween(15, 45);
        sim.faults().clear();
        assertThat(http.get("/backupSessions").statusCode()).isEqualTo(200);
    }

    @Test
    void givenFaults_whenLoggingOnOrReadingRoot_thenNotAffected() {
        sim.faults().error503Rate(1.0);
        assertThat(http.get("/").statusCode()).isEqualTo(200);
        assertThat(http.logon("admin", "admin").statusCode()).isEqualTo(201);
        assertThat(http.get("/backupSessions").statusCode()).isEqualTo(503);
    }

    @Test
    void givenMalformedNext_whenParsing_thenNotWellFormed() {
        sim.faults().malformedNext(1);
        HttpResponse<byte[]> r = http.get("/backupSessions");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThatThrownBy(() -> EmXml.unmarshal(r.body(), EntityReferences.class)).isInstanceOf(MalformedXmlException.class);
        assertThat(EmXml.unmarshal(http.get("/backupSessions").body(), EntityReferences.class).getRefs()).hasSize(25);
    }

    @Test
    void givenTruncatedRate_whenParsing_thenIncompleteDocument() {
        sim.faults().truncatedRate(1.0);
        HttpResponse<byte[]> r = http.get("/query?type=BackupJobSession&format=Entities");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(SimHttp.text(r)).doesNotContain("</QueryResult>");
        assertThatThrownBy(() -> EmXml.unmarshal(r.body(), QueryResult.class)).isInstanceOf(MalformedXmlException.class);
    }

    @Test
    void givenResetNext_whenRequesting_thenConnectionClosedWithoutResponse() {
        // java.net.http retries a GET once when the connection drops, so drop every attempt
        sim.faults().resetRate(1.0);
        assertThatThrownBy(() -> http.get("/backupSessions")).isInstanceOf(UncheckedIOException.class);
        sim.faults().resetRate(0);
        assertThat(http.get("/backupSessions").statusCode()).isEqualTo(200);
    }

    @Test
    void givenDelayLongerThanClientTimeout_whenRequesting_thenClientTimesOut() {
        sim.faults().delay(Duration.ofSeconds(3)).delayNext(1);
        assertThatThrownBy(() -> http.send(http.request("/backupSessions").timeout(Duration.ofMillis(500)).GET().build()))
                .hasCauseInstanceOf(HttpTimeoutException.class);
    }

    @Test
    void givenBom_whenRequesting_thenEveryBodyStartsWithBomAndStillParses() {
        sim.faults().bom(true);
        for (HttpResponse<byte[]> r : new HttpResponse[] {http.get("/"), http.logon("admin", "admin"), http.get("/backupSessions")}) {
            assertThat(r.body()).startsWith((byte) 0xEF, (byte) 0xBB, (byte) 0xBF);
        }
        assertThat(EmXml.unmarshal(http.get("/backupSessions").body(), EntityReferences.class).getRefs()).hasSize(25);
    }

    @Test
    void givenExpireAfterPages_whenPaging_thenTokenDiesMidPagination() {
        sim.faults().expireTokenAfterPages(2);
        assertThat(http.get("/query?type=BackupJobSession&pageSize=10&page=1").statusCode()).isEqualTo(200);
        assertThat(http.get("/query?type=BackupJobSession&pageSize=10&page=2").statusCode()).isEqualTo(200);
        QueryPagingTest.assertError(http.get("/query?type=BackupJobSession&pageSize=10&page=3"), 401, "expired");
        http.logon();
        assertThat(http.get("/query?type=BackupJobSession&pageSize=10&page=3").statusCode()).isEqualTo(200);
    }

    @Test
    void givenStartupFaultOptions_whenServing_thenApplied() throws Exception {
        try (EmSimulator other = EmSimulator.start(SimulatorOptions.defaults().withPort(0).withBindHost("127.0.0.1")
                .withFaults(FaultOptions.none().withError503Rate(1.0)))) {
            SimHttp h = new SimHttp(other).logon();
            assertThat(h.get("/backupSessions").statusCode()).isEqualTo(503);
            assertThat(other.requestCount()).isEqualTo(2);
            assertThat(other.bytesServed()).isPositive();
        }
    }
}
