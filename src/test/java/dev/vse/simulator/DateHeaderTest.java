package dev.vse.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The Date header over real HTTP. Guards the JDK quirk in {@link DateHeader}: the JDK server overwrites a
 * handler's Date with the host's time, so without the workaround every assertion on a shifted clock fails.
 */
class DateHeaderTest {
    private static final Instant T0 = Instant.parse("2025-08-15T06:00:00Z");
    private final HttpClient http = HttpClient.newHttpClient();
    private EmSimulator sim;

    @AfterEach
    void stop() {
        if (sim != null) {
            sim.close();
        }
    }

    private EmSimulator start(SimulatorOptions o) throws Exception {
        sim = EmSimulator.start(o.withPort(0).withBindHost("127.0.0.1"));
        return sim;
    }

    private HttpResponse<Void> send(String method, String path) throws Exception {
        HttpRequest r = HttpRequest.newBuilder(URI.create(sim.baseUrl() + path))
                .method(method, HttpRequest.BodyPublishers.noBody()).build();
        return http.send(r, HttpResponse.BodyHandlers.discarding());
    }

    private static Instant date(HttpResponse<?> r) {
        assertThat(r.headers().allValues("Date")).as("exactly one Date header").hasSize(1);
        return DateTimeFormatter.RFC_1123_DATE_TIME.parse(r.headers().firstValue("Date").orElseThrow(), Instant::from);
    }

    @Test
    void givenManualClock_whenAnswering_thenDateIsTheSimulatorsTimeOnEveryKindOfAnswer() throws Exception {
        ManualClock clock = new ManualClock(T0);
        start(SimulatorOptions.defaults().withClock(clock));

        HttpResponse<Void> root = send("GET", "/");
        HttpResponse<Void> unauthorized = send("GET", "/query?type=BackupJobSession");
        clock.advance(Duration.ofMinutes(5));
        HttpResponse<Void> refusedLogon = send("POST", "/sessionMngr/?v=latest");

        assertThat(root.statusCode()).isEqualTo(200);
        assertThat(root.headers().firstValue("Date")).contains("Fri, 15 Aug 2025 06:00:00 GMT");
        assertThat(unauthorized.statusCode()).isEqualTo(401);
        assertThat(date(unauthorized)).isEqualTo(T0);
        assertThat(refusedLogon.statusCode()).isEqualTo(401);
        assertThat(date(refusedLogon)).isEqualTo(T0.plus(Duration.ofMinutes(5)));
    }

    @Test
    void givenClockOffsetMinusTenMinutes_whenAnswering_thenDateTenMinutesBehindThisHost() throws Exception {
        start(SimulatorOptions.defaults().withClockOffset(Duration.ofMinutes(-10)));
        Instant before = Instant.now();

        Instant date = date(send("GET", "/"));

        Instant after = Instant.now();
        assertThat(date).isBetween(before.minus(Duration.ofMinutes(10)).minusSeconds(1), after.minus(Duration.ofMinutes(10)));
    }

    @Test
    void givenManualClockAndOffset_whenAnswering_thenBothApply() throws Exception {
        start(SimulatorOptions.defaults().withClockOffset(Duration.ofHours(2)).withClock(new ManualClock(T0)));

        assertThat(date(send("GET", "/"))).isEqualTo(T0.plus(Duration.ofHours(2)));
    }

    @Test
    void givenWallClock_whenAnswering_thenDateIsNow() throws Exception {
        start(SimulatorOptions.defaults());
        Instant before = Instant.now();

        Instant date = date(send("GET", "/"));

        assertThat(date).isBetween(before.minusSeconds(1), Instant.now());
    }

    @Test
    void givenOffset_whenTokenIdleTimeoutComputed_thenShiftedClockDrivesExpiryConsistently() throws Exception {
        // tokens are issued and checked on the same shifted clock: an offset must not expire them at once
        start(SimulatorOptions.defaults().withClockOffset(Duration.ofMinutes(-30)).withTokenIdleTimeout(Duration.ofMinutes(15)));
        HttpRequest logon = HttpRequest.newBuilder(URI.create(sim.baseUrl() + "/sessionMngr/?v=latest"))
                .header("Authorization", "Basic " + java.util.Base64.getEncoder().encodeToString("admin:admin".getBytes()))
                .POST(HttpRequest.BodyPublishers.noBody()).build();
        String token = http.send(logon, HttpResponse.BodyHandlers.discarding()).headers()
                .firstValue(EmSimulator.TOKEN).orElseThrow();

        HttpResponse<Void> query = http.send(HttpRequest.newBuilder(URI.create(sim.baseUrl() + "/query?type=BackupJobSession"))
                .header(EmSimulator.TOKEN, token).build(), HttpResponse.BodyHandlers.discarding());

        assertThat(query.statusCode()).isEqualTo(200);
    }

    @Test
    void givenInstant_whenFormatted_thenImfFixdate() {
        assertThat(DateHeader.format(Instant.parse("2026-03-01T09:05:07Z"))).isEqualTo("Sun, 01 Mar 2026 09:05:07 GMT");
    }
}
