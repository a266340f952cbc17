package dev.vse.observe;

import static dev.vse.testkit.PipelineHarness.header;
import static dev.vse.testkit.PipelineHarness.value;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import dev.vse.simulator.EmSimulator;
import dev.vse.simulator.SimSession;
import dev.vse.simulator.SimulatorOptions;
import dev.vse.testkit.EmbeddedKafka;
import dev.vse.testkit.PipelineHarness;
import dev.vse.testkit.TestConsumers;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The operations contract end to end (real pipeline, in-JVM Kafka, EM simulator over HTTP): the meters at
 * /observe/metrics against what is on the topics, health at /observe/health[/ready|/live] as EM goes away, comes
 * back or refuses the password, the logon backoff, two EMs that do not wait for each other, and the heartbeats.
 */
class ObserveIT {
    private static final JsonSchema HEARTBEAT_SCHEMA = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012)
            .getSchema(ObserveIT.class.getResourceAsStream("/schema/heartbeat.v1.json"));
    private static final String USER = "svc-vse";
    private static final String PASSWORD = "S3cret-Pw-9876";
    private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{([^}]*)\\})?\\s+(\\S+)$");
    private static EmbeddedKafka kafka;

    @TempDir
    Path state;
    private final List<AutoCloseable> closing = new ArrayList<>();
    private final HttpClient http = HttpClient.newHttpClient();
    private int port;
    private String heartbeatTopic;
    private KafkaConsumer<String, byte[]> heartbeatConsumer;
    private final List<ConsumerRecord<String, byte[]>> heartbeats = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void startKafka() {
        kafka = EmbeddedKafka.start();
    }

    @AfterAll
    static void stopKafka() {
        kafka.close();
    }

    @AfterEach
    void closeAll() throws Exception {
        for (int i = closing.size() - 1; i >= 0; i--) {
            closing.get(i).close();
        }
    }

    // --- metrics and heartbeats -------------------------------------------------------------------

    @Test
    void metrics_everyContractMeterWithItsTags_andCountsEqualTheRecordsOnTheTopics() throws Exception {
        EmSimulator em = simulator(0);
        Instant now = Instant.now();
        SimSession running = session("Fileserver", "Working", "None", now.minusSeconds(120));
        SimSession done = session("Nightly", "Stopped", "Success", now.minusSeconds(600)).setEndTime(now.minusSeconds(60));
        SimSession broken = session("Broken", "Working", "None", now.minusSeconds(30));
        em.estate().put(running);
        em.estate().put(done);
        em.estate().put(broken);
        em.faults().corruptSessions(List.of(broken.getId())); // one session parked alone (UNPROCESSABLE_SESSION)
        PipelineHarness h = harness(em).with("initial-load.policy", "all").start();

        h.await(h.dlq, rs -> !rs.isEmpty());
        em.faults().corruptSessions(List.of());
        em.faults().malformedNext(1); // one response parked whole (MALFORMED)
        h.await(h.dlq, rs -> rs.size() >= 2);
        em.estate().update(running.getId(), s -> s.setState("Stopped").setResult("Failed").setEndTime(Instant.now()));
        h.await(h.failed, rs -> !rs.isEmpty());

        // meters and topics grow; once quiet, they must agree
        Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            Map<String, Double> m = scrape();
            long onTopics = h.on(h.completed).size() + h.on(h.failed).size() + h.on(h.changes).size();
            assertThat(sum(m, "vse_events_published_total", "em", "em01")).isEqualTo(onTopics);
            assertThat(sum(m, "vse_dlq_records_total", "em", "em01")).isEqualTo(h.on(h.dlq).size());
        });
        Map<String, Double> m = scrape();
        String text = get("/observe/metrics").body();
        System.out.println("ObserveIT metrics:\n" + text.lines().filter(l -> l.startsWith("vse_")).reduce((a, b) -> a + "\n" + b).orElse(""));
        System.out.printf("ObserveIT: %d session records on the topics (completed %d, failed %d, changes %d), %d DLQ records%n",
                h.on(h.completed).size() + h.on(h.failed).size() + h.on(h.changes).size(), h.on(h.completed).size(),
                h.on(h.failed).size(), h.on(h.changes).size(), h.on(h.dlq).size());
        for (String type : List.of("em.session.completed.v1", "em.session.failed.v1", "em.session.changed.v1")) {
            String ceType = type;
            long records = h.records().stream().filter(r -> ceType.equals(header(r, "ce_type"))).count();
            assertThat(m.get("vse_events_published_total{em=em01,type=" + type + "}")).as(type).isEqualTo((double) records);
        }
        assertThat(m.get("vse_dlq_records_total{em=em01,kind=UNPROCESSABLE_SESSION}")).isGreaterThanOrEqualTo(1.0);
        assertThat(m.get("vse_dlq_records_total{em=em01,kind=MALFORMED}")).isEqualTo(1.0);
        for (String type : List.of(SimSession.BACKUP, SimSession.REPLICA)) {
            assertThat(m.get("vse_cycles_total{em=em01,outcome=ok,session_type=" + type + "}")).isGreaterThan(0);
            assertThat(m).containsKey("vse_cycles_total{em=em01,outcome=em-unavailable,session_type=" + type + "}");
            assertThat(m.get("vse_last_successful_cycle_timestamp_seconds{em=em01,session_type=" + type + "}"))
                    .isCloseTo(Instant.now().getEpochSecond(), org.assertj.core.data.Offset.offset(10.0));
        }
        assertThat(m.get("vse_cycles_total{em=em01,outcome=incomplete,session_type=" + SimSession.BACKUP + "}")
                + m.get("vse_cycles_total{em=em01,outcome=incomplete,session_type=" + SimSession.REPLICA + "}"))
                .as("the cycle that parked a response whole").isEqualTo(1.0);
        assertThat(m.get("vse_em_requests_seconds_count{em=em01,outcome=success}")).isGreaterThan(0);
        assertThat(m).containsKey("vse_em_requests_seconds_sum{em=em01,outcome=success}");
        assertThat(m.get("vse_sessions_tracked{em=em01}")).isEqualTo(3.0);
        assertThat(m.get("vse_sessions_running{em=em01}")).isEqualTo(1.0); // broken is running; running failed
        assertThat(m.get("vse_em_clock_skew_seconds{em=em01}")).as("measured from the Date header").isBetween(-5.0, 5.0);
        assertThat(m.get("vse_job_alerts_firing{em=em01}")).isEqualTo(0.0);
        assertThat(text).as("Camel's own route metrics stay").contains("camel_exchanges_total").contains("routeId=\"process-page\"");

        // heartbeats: every second here, schema-valid, CloudEvents binary, no secret
        awaitHeartbeats(3);
        for (ConsumerRecord<String, byte[]> r : heartbeats) {
            assertHeartbeat(r, em);
        }
        JsonNode last = value(heartbeats.get(heartbeats.size() - 1));
        assertThat(last.get("status").asText()).isEqualTo("ok");
        assertThat(last.get("eventsPublished").asLong()).isGreaterThan(0);
        assertThat(last.get("watermarks").get(SimSession.BACKUP).isTextual()).isTrue();
        assertThat(last.get("sessionsTracked").asLong()).isEqualTo(3);
        System.out.println("ObserveIT heartbeat: " + last);
    }

    // --- health -----------------------------------------------------------------------------------

    @Test
    void health_downWithinThreeIntervals_whenEmGoesAway_upAgainWhenItReturns_heartbeatsGoOn() throws Exception {
        EmSimulator em = simulator(0);
        int emPort = em.port();
        em.estate().put(session("Fileserver", "Working", "None", Instant.now().minusSeconds(60)));
        PipelineHarness h = harness(em).start();
        h.await(h.changes, rs -> !rs.isEmpty());
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> get("/observe/health/ready").statusCode() == 200);

        Instant away = Instant.now();
        em.close();
        Awaitility.await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50))
                .until(() -> get("/observe/health/ready").statusCode() == 503);
        Duration toDown = Duration.between(away, Instant.now());
        HttpResponse<String> down = get("/observe/health/ready");
        HttpResponse<String> overall = get("/observe/health");
        HttpResponse<String> live = get("/observe/health/live");
        System.out.printf("ObserveIT: EM away -> readiness DOWN after %d ms (3 x POLL_INTERVAL = 3000 ms)%n  ready: %s%n  live: %s%n",
                toDown.toMillis(), down.body(), live.body());
        assertThat(toDown).isLessThan(Duration.ofMillis(4500));
        assertThat(down.body()).contains("em01").contains("no successful").contains("em-unavailable");
        assertThat(overall.statusCode()).isEqualTo(503);
        assertThat(live.statusCode()).as("liveness stays UP while the process works").isEqualTo(200);

        // heartbeats keep their interval while EM is down
        int before = heartbeats().size();
        Thread.sleep(5_000);
        List<ConsumerRecord<String, byte[]>> during = heartbeats().subList(before, heartbeats().size());
        System.out.printf("ObserveIT: %d heartbeats in 5 s while EM was away, at %s%n", during.size(),
                during.stream().map(r -> Long.toString(r.timestamp() % 100_000)).toList());
        assertThat(during.size()).isBetween(4, 6);
        for (int i = 1; i < during.size(); i++) {
            assertThat(during.get(i).timestamp() - during.get(i - 1).timestamp()).isBetween(0L, 2000L);
        }
        for (ConsumerRecord<String, byte[]> r : during) {
            assertHeartbeat(r, em);
            assertThat(value(r).get("status").asText()).isEqualTo("em-unavailable");
            assertThat(value(r).get("lastError").asText()).contains("em01");
        }

        Instant back = Instant.now();
        EmSimulator again = EmSimulator.start(SimulatorOptions.defaults().withPort(emPort).withBindHost("127.0.0.1")
                .withCredentials(USER, PASSWORD));
        closing.add(again);
        Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50))
                .until(() -> get("/observe/health/ready").statusCode() == 200);
        Duration toUp = Duration.between(back, Instant.now());
        System.out.printf("ObserveIT: EM back -> readiness UP after %d ms (backoff after %d s away)%n", toUp.toMillis(),
                Duration.between(away, back).toSeconds());
        assertThat(toUp).isLessThan(Duration.ofSeconds(20));
        assertThat(value(awaitHeartbeatWhere(r -> value(r).get("status").asText().equals("ok"))).get("lastError").isNull()).isTrue();
    }

    @Test
    void refusedPassword_healthDownAtOnce_andLogonsBackOff() throws Exception {
        EmSimulator em = simulator(0);
        Instant start = Instant.now();
        PipelineHarness h = harness(em).with("em.password", "Wrong-" + PASSWORD).start();
        Awaitility.await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(10))
                .until(() -> em.requestsTo("/api/sessionmngr") > 0);
        Instant firstLogon = Instant.now();
        Awaitility.await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(20))
                .until(() -> get("/observe/health/ready").statusCode() == 503);
        Duration toDown = Duration.between(firstLogon, Instant.now());
        HttpResponse<String> down = get("/observe/health/ready");
        System.out.printf("ObserveIT: wrong password -> readiness DOWN %d ms after the first refused logon (%d ms after start; grace 3000 ms)%n  %s%n",
                toDown.toMillis(), Duration.between(start, Instant.now()).toMillis(), down.body());
        assertThat(down.body()).contains("em01").contains("credentials refused");
        assertThat(toDown).as("at once, not after 3 intervals").isLessThan(Duration.ofMillis(1000));
        long logonsAtStart = em.requestsTo("/api/sessionmngr");
        assertThat(logonsAtStart).as("one refusal skips the other session type's cycle").isEqualTo(1);

        Thread.sleep(15_000);
        long logons = em.requestsTo("/api/sessionmngr");
        System.out.printf("ObserveIT: wrong password, 1 s interval, 2 session types: %d logon attempts in the first ~16 s "
                + "(without backoff: about 32)%n", logons);
        assertThat(logons).isBetween(3L, 6L);
        JsonNode hb = value(awaitHeartbeatWhere(r -> value(r).get("status").asText().equals("auth-refused")));
        assertThat(hb.get("lastError").asText()).contains("refused").doesNotContain(PASSWORD);
        for (ConsumerRecord<String, byte[]> r : heartbeats()) {
            assertHeartbeat(r, em);
        }
    }

    @Test
    void oneEmHanging_neverDelaysTheCyclesOfAnother() throws Exception {
        EmSimulator em1 = simulator(0);
        EmSimulator em2 = simulator(0);
        em1.estate().put(session("A", "Working", "None", Instant.now().minusSeconds(60)));
        em2.estate().put(session("B", "Working", "None", Instant.now().minusSeconds(60)));
        PipelineHarness h = harness(em1)
                .with("em.1.id", "em02").with("em.1.url", em2.baseUrl())
                .with("em.1.username", USER).with("em.1.password", PASSWORD)
                .with("em.read-timeout", "30s").start();
        h.await(h.changes, rs -> rs.stream().map(r -> value(r).get("emServer").asText()).distinct().count() == 2);
        em1.faults().delay(Duration.ofSeconds(8)).delayRate(1.0); // em01 answers nothing for 8 s per request

        Thread.sleep(1_500);
        Instant from = Instant.now();
        double okBefore = cycles(scrape(), "em02");
        Thread.sleep(6_000);
        double ok2 = cycles(scrape(), "em02") - okBefore;
        Instant em1Last = h.app().status().status("em01").lastSuccessfulCycleAt();
        HttpResponse<String> ready = get("/observe/health/ready");
        System.out.printf("ObserveIT: em01 hanging: em02 finished %.0f cycles (2 session types) in 6 s; em01's last success %s ago%n  %s%n",
                ok2, Duration.between(em1Last, Instant.now()).toMillis() + " ms", ready.body());
        assertThat(ok2).as("em02 keeps its 1 s interval").isGreaterThanOrEqualTo(8);
        assertThat(em1Last).isBefore(from);
        em1.faults().clear();
    }

    // --- helpers ----------------------------------------------------------------------------------

    private EmSimulator simulator(int emPort) throws Exception {
        EmSimulator em = EmSimulator.start(SimulatorOptions.defaults().withPort(emPort).withBindHost("127.0.0.1")
                .withCredentials(USER, PASSWORD));
        closing.add(em);
        return em;
    }

    private PipelineHarness harness(EmSimulator em) throws Exception {
        try (java.net.ServerSocket free = new java.net.ServerSocket(0)) {
            port = free.getLocalPort();
        }
        heartbeatTopic = "heartbeat-" + UUID.randomUUID().toString().substring(0, 8);
        PipelineHarness h = new PipelineHarness(kafka.bootstrapServers(), state, em.baseUrl())
                .with("em.username", USER).with("em.password", PASSWORD)
                .with("camel.management.enabled", "true").with("camel.management.port", Integer.toString(port))
                .with("topic.heartbeat", heartbeatTopic).with("heartbeat.interval", "1s");
        closing.add(h);
        heartbeatConsumer = TestConsumers.fromEarliest(kafka.bootstrapServers(), List.of(heartbeatTopic));
        closing.add(() -> {
            synchronized (heartbeats) {
                heartbeatConsumer.close();
            }
        });
        return h;
    }

    private List<ConsumerRecord<String, byte[]>> heartbeats() {
        synchronized (heartbeats) {
            heartbeatConsumer.poll(Duration.ofMillis(200)).forEach(heartbeats::add);
        }
        return new ArrayList<>(heartbeats);
    }

    private void awaitHeartbeats(int n) {
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> heartbeats().size() >= n);
    }

    private ConsumerRecord<String, byte[]> awaitHeartbeatWhere(java.util.function.Predicate<ConsumerRecord<String, byte[]>> p) {
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> heartbeats().stream().anyMatch(p));
        return heartbeats().stream().filter(p).reduce((a, b) -> b).orElseThrow();
    }

    private void assertHeartbeat(ConsumerRecord<String, byte[]> r, EmSimulator em) {
        assertThat(r.key()).isEqualTo("em01");
        assertThat(header(r, "ce_type")).isEqualTo("em.heartbeat.v1");
        assertThat(header(r, "ce_source")).isEqualTo(em.baseUrl());
        assertThat(header(r, "ce_specversion")).isEqualTo("1.0");
        assertThat(header(r, "ce_id")).isNotBlank();
        assertThat(header(r, "content-type")).isEqualTo("application/json");
        assertThat(HEARTBEAT_SCHEMA.validate(value(r))).as("schema errors of %s", value(r)).isEmpty();
        String all = new String(r.value(), StandardCharsets.UTF_8) + r.headers().toString();
        for (var hd : r.headers()) {
            all += new String(hd.value(), StandardCharsets.UTF_8);
        }
        assertThat(all).doesNotContain(PASSWORD).doesNotContain("X-RestSvcSessionId");
    }

    private static double cycles(Map<String, Double> m, String emId) {
        return m.entrySet().stream().filter(e -> e.getKey().startsWith("vse_cycles_total{") && e.getKey().contains("em=" + emId + ",")
                && e.getKey().contains("outcome=ok")).mapToDouble(Map.Entry::getValue).sum();
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** The vse_* samples at /observe/metrics, keyed {@code name{k=v,...}} with the labels sorted. */
    private Map<String, Double> scrape() throws Exception {
        HttpResponse<String> r = get("/observe/metrics");
        assertThat(r.statusCode()).isEqualTo(200);
        Map<String, Double> out = new LinkedHashMap<>();
        for (String line : r.body().split("\n")) {
            if (!line.startsWith("vse_")) {
                continue;
            }
            Matcher mt = SAMPLE.matcher(line.trim());
            if (!mt.matches()) {
                continue;
            }
            java.util.TreeMap<String, String> labels = new java.util.TreeMap<>();
            if (mt.group(3) != null) {
                for (Matcher l = Pattern.compile("(\\w+)=\"([^\"]*)\"").matcher(mt.group(3)); l.find(); ) {
                    labels.put(l.group(1), l.group(2));
                }
            }
            StringBuilder key = new StringBuilder(mt.group(1)).append('{');
            labels.forEach((k, v) -> key.append(k).append('=').append(v).append(','));
            if (!labels.isEmpty()) {
                key.setLength(key.length() - 1);
            }
            out.put(key.append('}').toString(), Double.parseDouble(mt.group(4)));
        }
        return out;
    }

    private static double sum(Map<String, Double> m, String name, String label, String value) {
        return m.entrySet().stream().filter(e -> e.getKey().startsWith(name + "{")
                        && (e.getKey().contains(label + "=" + value + ",") || e.getKey().contains(label + "=" + value + "}")))
                .mapToDouble(Map.Entry::getValue).sum();
    }

    private static SimSession session(String job, String state, String result, Instant created) {
        return new SimSession(SimSession.BACKUP, UUID.randomUUID().toString(), UUID.nameUUIDFromBytes(job.getBytes()).toString(),
                job, "Backup", created).setState(state).setResult(result);
    }
}
