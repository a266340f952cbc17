package dev.vse.pipeline;

import static dev.vse.testkit.PipelineHarness.value;

import static dev.vse.testkit.PipelineHarness.header;
import dev.vse.testkit.PipelineHarness;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import dev.vse.simulator.EmSimulator;
import dev.vse.simulator.SimSession;
import dev.vse.simulator.SimulatorOptions;
import io.cloudevents.CloudEvent;
import io.cloudevents.kafka.KafkaMessageFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.camel.component.kafka.KafkaEndpoint;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pipeline end to end: the real application (Camel Main + YAML routes + file state store) polls the
 * EM simulator over HTTP and publishes to a real Kafka broker. Subclasses say which broker.
 */
abstract class PipelineScenarios {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonSchema SCHEMA = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012)
            .getSchema(PipelineScenarios.class.getResourceAsStream("/schema/session-event.v1.json"));

    @TempDir
    Path state;
    EmSimulator em;
    PipelineHarness h;

    /** Bootstrap servers of the broker under test. */
    abstract String bootstrapServers();

    @BeforeEach
    void startEm() throws Exception {
        em = EmSimulator.start(SimulatorOptions.defaults().withPort(0).withBindHost("127.0.0.1"));
        h = new PipelineHarness(bootstrapServers(), state, em.baseUrl());
        configure(h);
    }

    /** Settings of a subclass on top of the harness's (e.g. another state store). */
    void configure(PipelineHarness harness) {
    }

    @AfterEach
    void stopAll() {
        h.close();
        em.close();
    }

    // --- the contract, end to end ----------------------------------------------------------------

    @Test
    void givenLiveScenario_whenSessionsEnd_thenOneTerminalRecordEach_andEveryChangeOnChanges() throws Exception {
        Instant now = Instant.now();
        SimSession history = session(SimSession.BACKUP, "Nightly", "Stopped", "Success", now.minus(Duration.ofHours(3)))
                .setEndTime(now.minus(Duration.ofHours(2))).setProgress(100);
        SimSession oldFailure = session(SimSession.BACKUP, "Archive", "Stopped", "Failed", now.minus(Duration.ofHours(5)))
                .setEndTime(now.minus(Duration.ofHours(4))).setProgress(100);
        SimSession running = session(SimSession.BACKUP, "Fileserver", "Working", "None", now.minus(Duration.ofMinutes(2)))
                .setProgress(30);
        SimSession replica = session(SimSession.REPLICA, "DR Replication", "Starting", "None", now.minus(Duration.ofMinutes(1)));
        put(history, oldFailure, running, replica);

        h.start();
        // first cycle = baseline: everything on changes, history never on completed/failed
        h.await(h.changes, rs -> keys(rs).containsAll(uids(history, oldFailure, running, replica)));

        // progress only: recorded, but no record anywhere
        em.estate().setProgress(running.getId(), 60);
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() ->
                h.app().store().get("em01", running.uid()).map(s -> Integer.valueOf(60).equals(s.progress())).orElse(false));

        // sessions end; one appears for the first time already finished (EM collection lag); a retry; an unknown state
        Instant end = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        // created long ago, ended after polling began but first seen already finished (EM's collection lag)
        SimSession late = session(SimSession.BACKUP, "Oracle", "Stopped", "Failed", now.minus(Duration.ofHours(6)))
                .setEndTime(end.minusSeconds(1)).setProgress(100);
        SimSession retry = session(SimSession.BACKUP, "Oracle", "Stopped", "Success", now.minus(Duration.ofMinutes(10)))
                .setEndTime(end).setProgress(100).setRetry(true);
        SimSession odd = session(SimSession.BACKUP, "Tape", "WaitingRepository", "None", now.minus(Duration.ofMinutes(3)));
        put(late, retry, odd);
        em.estate().update(running.getId(), s -> s.setState("Stopped").setResult("Warning").setEndTime(end).setProgress(100));
        em.estate().update(replica.getId(), s -> s.setState("Stopped").setResult("Success").setEndTime(end).setProgress(100));

        h.await(h.completed, rs -> keys(rs).containsAll(uids(running, retry, replica)));
        h.await(h.failed, rs -> keys(rs).contains(late.uid()));
        h.await(h.changes, rs -> keys(rs).contains(odd.uid()));
        // more cycles observe the ended sessions: for 4 s, still exactly one terminal record each
        Instant quietFrom = Instant.now();
        Awaitility.await().during(Duration.ofSeconds(4)).atMost(Duration.ofSeconds(10)).until(() ->
                keys(h.on(h.completed)).size() == 3 && keys(h.on(h.failed)).size() == 1 && h.on(h.dlq).isEmpty());
        assertCyclesFinishedSince(quietFrom);

        assertThat(keys(h.on(h.completed))).containsExactlyInAnyOrderElementsOf(uids(running, retry, replica));
        assertThat(keys(h.on(h.failed))).containsExactly(late.uid());
        assertThat(h.on(h.dlq)).isEmpty();

        Map<String, List<JsonNode>> changes = byKey(h.on(h.changes));
        assertThat(changes.get(running.uid())).extracting(n -> n.get("state").asText() + "/" + n.get("result").asText())
                .as("first sight, then the end; the progress-only change made no record")
                .containsExactly("Working/None", "Stopped/Warning");
        assertThat(changes.get(odd.uid())).singleElement().satisfies(n -> {
            assertThat(n.get("state").asText()).isEqualTo("WaitingRepository");
            assertThat(n.get("previousState").isNull()).isTrue();
        });
        assertThat(changes.get(history.uid())).singleElement()
                .satisfies(n -> assertThat(n.get("state").asText()).isEqualTo("Stopped"));

        JsonNode retried = value(h.on(h.completed).stream().filter(r -> r.key().equals(retry.uid())).findFirst().orElseThrow());
        assertThat(retried.get("isRetry").asBoolean()).isTrue();
        JsonNode warned = value(h.on(h.completed).stream().filter(r -> r.key().equals(running.uid())).findFirst().orElseThrow());
        assertThat(warned.get("result").asText()).isEqualTo("Warning");
        assertThat(warned.get("previousState").asText()).isEqualTo("Working");
        assertThat(warned.get("jobName").asText()).isEqualTo("Fileserver");
        assertThat(warned.get("emServer").asText()).isEqualTo("em01");
        assertThat(warned.get("sessionType").asText()).isEqualTo("BackupJobSession");
        assertThat(warned.get("endTime").asText()).isEqualTo(end.toString());
        JsonNode replicated = value(h.on(h.completed).stream().filter(r -> r.key().equals(replica.uid())).findFirst().orElseThrow());
        assertThat(replicated.get("sessionType").asText()).isEqualTo("ReplicaJobSession");

        for (ConsumerRecord<String, byte[]> r : h.records()) {
            assertContractHeaders(r);
            assertThat(SCHEMA.validate(JSON.readTree(r.value()))).as("schema errors of %s", r.key()).isEmpty();
            CloudEvent ce = KafkaMessageFactory.createReader(r).toEvent();
            assertThat(ce.getSubject()).isEqualTo(r.key());
            assertThat(JSON.readTree(ce.getData().toBytes()).get("sessionUid").asText()).isEqualTo(r.key());
        }
    }

    @Test
    void givenPipelineStoppedMidScenario_whenRestarted_thenNothingLost_andNoTerminalRecordTwice() {
        Instant now = Instant.now();
        SimSession a = session(SimSession.BACKUP, "A", "Working", "None", now.minus(Duration.ofMinutes(5)));
        SimSession b = session(SimSession.BACKUP, "B", "Working", "None", now.minus(Duration.ofMinutes(4)));
        put(a, b);
        h.start();
        h.await(h.changes, rs -> keys(rs).containsAll(uids(a, b)));
        h.stop();

        // while the pipeline is down: both end, and a short job runs and ends unseen
        Instant end = Instant.now();
        em.estate().update(a.getId(), s -> s.setState("Stopped").setResult("Success").setEndTime(end).setProgress(100));
        em.estate().update(b.getId(), s -> s.setState("Stopped").setResult("Failed").setEndTime(end).setProgress(100));
        SimSession c = session(SimSession.BACKUP, "C", "Stopped", "Success", now.minus(Duration.ofMinutes(1))).setEndTime(end);
        put(c);

        h.start();
        h.await(h.completed, rs -> keys(rs).containsAll(uids(a, c)));
        h.await(h.failed, rs -> keys(rs).contains(b.uid()));
        h.stop();
        h.start();
        // the restarted pipeline's cycles see everything ended: for 4 s no terminal record comes again
        Instant restarted = Instant.now();
        Awaitility.await().during(Duration.ofSeconds(4)).atMost(Duration.ofSeconds(10)).until(() ->
                keys(h.on(h.completed)).size() == 2 && keys(h.on(h.failed)).size() == 1);
        assertCyclesFinishedSince(restarted);

        assertThat(keys(h.on(h.completed))).containsExactlyInAnyOrderElementsOf(uids(a, c));
        assertThat(keys(h.on(h.failed))).containsExactly(b.uid());
    }

    @Test
    void givenTrackedRunningSession_whenItDropsOutOfTheQuery_thenItIsReReadByHrefUntilItStops() {
        // guards: a running session that the query no longer returns must still yield its end
        SimSession a = session(SimSession.BACKUP, "Exchange Backup", "Working", "None", Instant.now().minus(Duration.ofMinutes(3)));
        put(a);
        h.start();
        h.await(h.changes, rs -> keys(rs).contains(a.uid()));
        h.stop();
        // the job is now excluded from the query; only the Href re-read can see it end
        h.with("em.job-names.exclude", "Exchange Backup").start();
        em.estate().update(a.getId(), s -> s.setState("Stopped").setResult("Failed").setEndTime(Instant.now()));
        h.await(h.failed, rs -> keys(rs).contains(a.uid()));
        assertThat(h.app().store().unfinished("em01", "BackupJobSession")).isEmpty();
    }

    @Test
    void givenTwoEmServers_whenPolled_thenEachPublishesWithItsOwnIdentityAndState() throws Exception {
        try (EmSimulator second = EmSimulator.start(SimulatorOptions.defaults().withPort(0).withBindHost("127.0.0.1")
                .withCredentials("svc-veeam", "s3cond-Pa55"))) {
            Instant now = Instant.now();
            SimSession one = session(SimSession.BACKUP, "One", "Working", "None", now.minus(Duration.ofMinutes(2)));
            SimSession two = session(SimSession.BACKUP, "Two", "Working", "None", now.minus(Duration.ofMinutes(2)));
            put(one);
            second.estate().put(two);
            h.with("em.1.id", "em02").with("em.1.url", second.baseUrl())
                    .with("em.1.username", "svc-veeam").with("em.1.password", "s3cond-Pa55").start();
            h.await(h.changes, rs -> keys(rs).containsAll(uids(one, two)));
            Instant end = Instant.now();
            em.estate().update(one.getId(), s -> s.setState("Stopped").setResult("Success").setEndTime(end));
            second.estate().update(two.getId(), s -> s.setState("Stopped").setResult("Failed").setEndTime(end));

            var completed = h.await(h.completed, rs -> keys(rs).contains(one.uid()));
            var failed = h.await(h.failed, rs -> keys(rs).contains(two.uid()));
            assertThat(value(completed.get(0)).get("emServer").asText()).isEqualTo("em01");
            assertThat(header(completed.get(0), "ce_source")).isEqualTo(em.baseUrl());
            assertThat(value(failed.get(0)).get("emServer").asText()).isEqualTo("em02");
            assertThat(header(failed.get(0), "ce_source")).isEqualTo(second.baseUrl());
            assertThat(h.app().store().get("em01", two.uid())).isEmpty();
            assertThat(h.app().store().get("em02", two.uid())).isPresent();
        }
    }

    @Test
    void givenMalformedPage_whenPolled_thenRawBytesInDlq_andTheNextCycleGoesOn() {
        Instant now = Instant.now();
        SimSession a = session(SimSession.BACKUP, "A", "Stopped", "Failed", now.minus(Duration.ofMinutes(5)))
                .setEndTime(now.minus(Duration.ofMinutes(1)));
        put(a);
        em.faults().malformedNext(1);
        h.with("initial-load.policy", "all").start();

        var dlq = h.await(h.dlq, rs -> !rs.isEmpty());
        ConsumerRecord<String, byte[]> parked = dlq.get(0);
        assertThat(header(parked, "vse.em")).isEqualTo("em01");
        assertThat(header(parked, "vse.em.url")).isEqualTo(em.baseUrl());
        assertThat(header(parked, "vse.request")).startsWith("GET ").contains("/query");
        assertThat(header(parked, "vse.error")).isNotBlank();
        assertThat(parked.value()).isNotEmpty();
        // the next cycle reads the same window again and the failure is published
        h.await(h.failed, rs -> keys(rs).contains(a.uid()));
    }

    @Test
    void givenRoutesDir_whenStarted_thenTheRoutesComeFromThatFolder(@TempDir Path routes) throws Exception {
        try (var shipped = java.nio.file.Files.list(Path.of("routes"))) {
            for (Path f : shipped.filter(p -> p.toString().endsWith(".yaml")).toList()) {
                java.nio.file.Files.copy(f, routes.resolve(f.getFileName()));
            }
        }
        java.nio.file.Files.writeString(routes.resolve("audit.yaml"), String.join("\n",
                "- route:", "    id: user-audit", "    from:", "      uri: timer:audit?repeatCount=1", "      steps:",
                "        - log: user route loaded", ""));
        SimSession a = session(SimSession.BACKUP, "A", "Working", "None", Instant.now().minus(Duration.ofMinutes(1)));
        put(a);
        h.with("routes.dir", routes.toString()).start();
        assertThat(h.app().context().getRoute("user-audit")).isNotNull();
        h.await(h.changes, rs -> keys(rs).contains(a.uid()));
    }

    @Test
    void producer_isIdempotent_withAcksAll() {
        h.start();
        List<KafkaEndpoint> kafka = h.app().context().getEndpoints().stream()
                .filter(KafkaEndpoint.class::isInstance).map(KafkaEndpoint.class::cast).toList();
        assertThat(kafka).as("events, dead letters, heartbeats").hasSize(3).allSatisfy(e -> {
            assertThat(e.getConfiguration().isEnableIdempotence()).as(e.getEndpointUri()).isTrue();
            assertThat(e.getConfiguration().getRequestRequiredAcks()).as(e.getEndpointUri()).isEqualTo("all");
            var props = e.getConfiguration().createProducerProperties();
            assertThat(props.getProperty("acks")).as("%s", props).isEqualTo("all");
            assertThat(String.valueOf(props.get("enable.idempotence"))).as("%s", props).isEqualTo("true");
        });
    }

    @Test
    void observeEndpoints_reportHealthAndPrometheusMetrics() throws Exception {
        int port;
        try (java.net.ServerSocket free = new java.net.ServerSocket(0)) {
            port = free.getLocalPort();
        }
        put(session(SimSession.BACKUP, "A", "Working", "None", Instant.now().minus(Duration.ofMinutes(1))));
        h.with("camel.management.enabled", "true").with("camel.management.port", Integer.toString(port)).start();
        h.await(h.changes, rs -> !rs.isEmpty());
        var http = java.net.http.HttpClient.newHttpClient();
        var health = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + port + "/observe/health")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.body()).contains("UP");
        var metrics = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + port + "/observe/metrics")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.body()).contains("camel_exchanges_total").contains("routeId=\"process-page\"");
    }

    // --- helpers --------------------------------------------------------------------------------

    static void assertContractHeaders(ConsumerRecord<String, byte[]> r) {
        if (r.topic().startsWith("dlq-")) {
            return;
        }
        assertThat(header(r, "ce_specversion")).isEqualTo("1.0");
        assertThat(header(r, "ce_id")).isNotBlank();
        assertThat(header(r, "ce_source")).startsWith("http://127.0.0.1:");
        assertThat(header(r, "ce_subject")).isEqualTo(r.key());
        assertThat(header(r, "ce_time")).isNotBlank();
        assertThat(header(r, "content-type")).isEqualTo("application/json");
        String expectedType = r.topic().startsWith("completed-") ? "em.session.completed.v1"
                : r.topic().startsWith("failed-") ? "em.session.failed.v1" : "em.session.changed.v1";
        assertThat(header(r, "ce_type")).isEqualTo(expectedType);
        assertThat(r.key()).startsWith("urn:veeam:");
    }

    static SimSession session(String type, String job, String state, String result, Instant created) {
        String jobType = SimSession.REPLICA.equals(type) ? "Replica" : "Backup";
        return new SimSession(type, UUID.randomUUID().toString(), UUID.nameUUIDFromBytes(job.getBytes()).toString(),
                job, jobType, created).setState(state).setResult(result);
    }

    void put(SimSession... sessions) {
        for (SimSession s : sessions) {
            em.estate().put(s);
        }
    }

    /** Cycles of every session type of em01 started after {@code t} and finished (the watermark is a cycle's start). */
    private void assertCyclesFinishedSince(Instant t) {
        for (String type : List.of(SimSession.BACKUP, SimSession.REPLICA)) {
            assertThat(h.app().store().watermark("em01", type)).as("a %s cycle finished meanwhile", type)
                    .hasValueSatisfying(w -> assertThat(w).isAfter(t));
        }
    }

    static Set<String> uids(SimSession... sessions) {
        return java.util.Arrays.stream(sessions).map(SimSession::uid).collect(Collectors.toSet());
    }

    static List<String> keys(Collection<ConsumerRecord<String, byte[]>> records) {
        return records.stream().map(ConsumerRecord::key).toList();
    }


    static Map<String, List<JsonNode>> byKey(List<ConsumerRecord<String, byte[]>> records) {
        return records.stream().collect(Collectors.groupingBy(ConsumerRecord::key,
                Collectors.mapping(PipelineHarness::value, Collectors.toList())));
    }

}
